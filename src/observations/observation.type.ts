import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { Observation as ObservationRow, ObservationRevision as RevisionRow } from '../generated/prisma/client';
import { encodeGlobalId } from '../graphql/global-id';
import { Node } from '../graphql/node';
import { Payload, UserError } from '../graphql/user-error';
import type { NodeTypeName } from '../graphql/node-registry';

@ObjectType({ implements: Node, description: 'One measure × org unit × period, as components, with provenance.' })
export class Observation extends Node {
  @Field(() => DateResolver) periodStart!: Date;
  @Field(() => Float) numerator!: number;
  @Field(() => Float, { nullable: true, description: 'Null for a COUNT.' }) denominator!: number | null;
  @Field({ description: 'The system the value came from.' }) source!: string;
  @Field(() => String, { nullable: true, description: 'The record’s id in that system.' }) externalId!: string | null;
  @Field(() => Int, { description: '1 for the first value; each correction adds one.' }) revision!: number;
  @Field() recordedBy!: string;
  @Field(() => DateTimeResolver) recordedAt!: Date;
  dbId!: bigint;
  measureId!: number;
  orgUnitId!: number;
}

export const OBSERVATION_TYPENAME = 'Observation' satisfies NodeTypeName;

export function observationFromRow(row: ObservationRow): Observation {
  return Object.assign(new Observation(), {
    id: encodeGlobalId(OBSERVATION_TYPENAME, row.id),
    dbId: row.id,
    periodStart: row.periodStart,
    numerator: row.numerator,
    denominator: row.denominator,
    source: row.source,
    externalId: row.externalId,
    revision: row.revision,
    recordedBy: row.recordedBy,
    recordedAt: row.recordedAt,
    measureId: row.measureId,
    orgUnitId: row.orgUnitId,
  });
}

@ObjectType({ description: 'A value an observation held before a correction replaced it.' })
export class ObservationRevision {
  @Field(() => Int) revision!: number;
  @Field(() => Float) numerator!: number;
  @Field(() => Float, { nullable: true }) denominator!: number | null;
  @Field() source!: string;
  @Field(() => String, { nullable: true }) externalId!: string | null;
  @Field() recordedBy!: string;
  @Field(() => DateTimeResolver) recordedAt!: Date;
  @Field(() => DateTimeResolver) supersededAt!: Date;
}

export function revisionFromRow(row: RevisionRow): ObservationRevision {
  return Object.assign(new ObservationRevision(), {
    revision: row.revision,
    numerator: row.numerator,
    denominator: row.denominator,
    source: row.source,
    externalId: row.externalId,
    recordedBy: row.recordedBy,
    recordedAt: row.recordedAt,
    supersededAt: row.supersededAt,
  });
}

@ObjectType()
export class ImportObservationsPayload extends Payload {
  @Field(() => Int, { description: 'New rows (0 when outcomesWithheld).' }) created!: number;
  @Field(() => Int, { description: 'Rows that changed a stored value, keeping the old one as a revision (0 when outcomesWithheld).' }) updated!: number;
  @Field(() => Int, { description: 'Rows identical to the current value: re-sent data changes nothing (0 when outcomesWithheld).' }) unchanged!: number;
  @Field(() => Int, { description: 'Rows accepted (written, or with dryRun valid): created + updated + unchanged.' }) accepted!: number;
  @Field({
    description:
      'True when the sender may not read the true figures of every org unit it wrote to (a BOARD-scoped or INTEGRATION key): created, updated and unchanged are then withheld (0), since they would say whether a sent figure matched the stored one.',
  })
  outcomesWithheld!: boolean;
  @Field(() => Int, { description: 'Rows refused, each once however many problems it has (every row when the call itself is refused, e.g. TOO_MANY_ROWS).' }) rejected!: number;
  @Field() dryRun!: boolean;
  @Field(() => [UserError], { description: 'With allOrNothing: false, the rows refused while the rest were written.' }) rejectedRows!: UserError[];
}

@ObjectType()
export class ObservationRecordPayload extends Payload {
  @Field(() => Observation, { nullable: true }) observation!: Observation | null;
  @Field(() => String, { nullable: true, description: 'CREATED, UPDATED (a revision was kept) or UNCHANGED; null, like `observation`, for a writer who may not read the unit’s true figures.' })
  outcome!: string | null;
}

declare module '../graphql/node-registry' {
  interface NodeTypeNames {
    Observation: true;
  }
}
