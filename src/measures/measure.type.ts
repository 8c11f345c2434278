import { Field, Float, Int, ObjectType } from 'type-graphql';
import type { Measure as MeasureRow, MeasureTarget as MeasureTargetRow } from '../generated/prisma/client';
import { Audience, ImprovementDirection, Periodicity, ScoringType } from '../graphql/enums';
import { Connection } from '../graphql/connection';
import { encodeGlobalId } from '../graphql/global-id';
import { Node } from '../graphql/node';
import type { NodeTypeName } from '../graphql/node-registry';

@ObjectType({ implements: Node, description: 'A measure definition: what is counted and how it pools.' })
export class Measure extends Node {
  @Field() code!: string;
  @Field() name!: string;
  @Field() description!: string;
  @Field(() => ScoringType) scoringType!: ScoringType;
  @Field(() => ImprovementDirection) improvementDirection!: ImprovementDirection;
  @Field(() => Float, { nullable: true, description: 'For a RATE: e.g. 1000 for "per 1,000 occupied bed days".' })
  multiplier!: number | null;
  @Field(() => String, { nullable: true, description: 'Unit of `value`, e.g. "%", "per 1,000 bed days", "score".' })
  unit!: string | null;
  @Field(() => Audience) audience!: Audience;
  @Field(() => Periodicity) periodicity!: Periodicity;
  @Field(() => String, { nullable: true }) numeratorLabel!: string | null;
  @Field(() => String, { nullable: true }) denominatorLabel!: string | null;
  @Field() archived!: boolean;
  @Field(() => Int) version!: number;
  @Field({ description: 'When the definition last changed (links and targets have their own history).' }) updatedAt!: Date;

  dbId!: number;
  ownerId!: number | null;
}

export const MEASURE_TYPENAME = 'Measure' satisfies NodeTypeName;

export function measureFromRow(row: MeasureRow): Measure {
  return Object.assign(new Measure(), {
    id: encodeGlobalId(MEASURE_TYPENAME, row.id),
    dbId: row.id,
    code: row.code,
    name: row.name,
    description: row.description,
    scoringType: row.scoringType,
    improvementDirection: row.improvementDirection,
    multiplier: row.multiplier,
    unit: row.unit,
    audience: row.audience,
    periodicity: row.periodicity,
    numeratorLabel: row.numeratorLabel,
    denominatorLabel: row.denominatorLabel,
    archived: row.archivedAt !== null,
    version: row.version,
    updatedAt: row.updatedAt,
    ownerId: row.ownerId,
  });
}

@ObjectType()
export class MeasureConnection extends Connection(Measure) {}

@ObjectType({ implements: Node, description: 'A target for a measure: trust-wide (no org unit) or for one org unit.' })
export class MeasureTarget extends Node {
  @Field(() => Float, { description: 'In the measure’s unit (a proportion as a fraction 0..1).' }) value!: number;
  @Field(() => String, { nullable: true }) rationale!: string | null;
  @Field(() => Int) version!: number;
  dbId!: number;
  measureId!: number;
  orgUnitId!: number | null;
}

export const MEASURE_TARGET_TYPENAME = 'MeasureTarget' satisfies NodeTypeName;

export function measureTargetFromRow(row: MeasureTargetRow): MeasureTarget {
  return Object.assign(new MeasureTarget(), {
    id: encodeGlobalId(MEASURE_TARGET_TYPENAME, row.id),
    dbId: row.id,
    value: row.value,
    rationale: row.rationale,
    version: row.version,
    measureId: row.measureId,
    orgUnitId: row.orgUnitId,
  });
}

declare module '../graphql/node-registry' {
  interface NodeTypeNames {
    Measure: true;
    MeasureTarget: true;
  }
}
