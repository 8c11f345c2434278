import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { z } from 'zod';
import type { Measure as MeasureRow, MeasureTarget as MeasureTargetRow } from '../generated/prisma/client';
import { Audience, ImprovementDirection, Periodicity, ScoringType } from '../graphql/enums';
import { Connection } from '../graphql/connection';
import { encodeGlobalId } from '../graphql/global-id';
import { Node } from '../graphql/node';
import type { NodeTypeName } from '../graphql/node-registry';
import { defaultDisclosureRule, describeRule, type DisclosureRule } from '../statistics/suppression';

export enum DisclosureKind {
  NONE = 'NONE',
  SMALL_NUMBERS = 'SMALL_NUMBERS',
}
registerEnumType(DisclosureKind, {
  name: 'DisclosureKind',
  description: 'NONE: figures are shown as they are. SMALL_NUMBERS: small figures are suppressed and counts rounded.',
});

@ObjectType({ simpleResolvers: true, description: 'A measure’s small-number rule: what a reader without the right to true figures is shown (README "Disclosure control").' })
export class MeasureDisclosure {
  @Field(() => DisclosureKind) kind!: DisclosureKind;
  @Field(() => Int, { nullable: true, description: 'Smallest count shown: a count or numerator under it is suppressed.' }) minCount!: number | null;
  @Field(() => Int, { nullable: true, description: 'Shown counts are rounded to the nearest multiple of this (0: not rounded).' }) roundTo!: number | null;
  @Field(() => Float, { nullable: true, description: 'Smallest denominator shown: bed days for a rate, people or responses otherwise.' })
  minDenominator!: number | null;
  @Field({ description: 'True when this is the default for the measure’s audience and scoring type, false when set for this measure.' })
  isDefault!: boolean;
  @Field({ description: 'The rule in words.' }) summary!: string;
}

@ObjectType({ simpleResolvers: true, implements: Node, description: 'A measure definition: what is counted and how it pools.' })
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
  @Field(() => [String], { description: 'The stratifiers it is reported by (the equality lens): ETHNICITY, SEX, AGE_BAND, LEGAL_STATUS.' })
  stratifiers!: string[];
  @Field(() => Periodicity) periodicity!: Periodicity;
  @Field(() => String, { nullable: true }) numeratorLabel!: string | null;
  @Field(() => String, { nullable: true }) denominatorLabel!: string | null;
  @Field() archived!: boolean;
  @Field(() => Int) version!: number;
  @Field({ description: 'When the definition last changed (links and targets have their own history).' }) updatedAt!: Date;
  @Field(() => MeasureDisclosure, { description: 'The small-number rule every figure of this measure is shown under; set by ADMIN or FACULTY_LEAD.' })
  disclosure!: MeasureDisclosure;

  dbId!: number;
  ownerId!: number | null;
  /** the rule in force (the measure's own, or the default), for the disclosure layer */
  disclosureRule!: DisclosureRule;
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
    stratifiers: row.stratifiers,
    periodicity: row.periodicity,
    numeratorLabel: row.numeratorLabel,
    denominatorLabel: row.denominatorLabel,
    archived: row.archivedAt !== null,
    version: row.version,
    updatedAt: row.updatedAt,
    ownerId: row.ownerId,
    ...disclosureOf(row),
  });
}

/** A stored rule as written by measureCreate/measureUpdate (validated there). */
const STORED_RULE = z.union([
  z.object({ kind: z.literal('NONE') }),
  z.object({ kind: z.literal('SMALL_NUMBERS'), minCount: z.number().int().min(0), roundTo: z.number().int().min(0), minDenominator: z.number().min(0) }),
]);

function disclosureOf(row: MeasureRow): Pick<Measure, 'disclosure' | 'disclosureRule'> {
  const stored = row.disclosure === null ? null : STORED_RULE.safeParse(row.disclosure);
  // An unreadable stored rule falls back to the default, never to showing true figures.
  const own = stored?.success ? stored.data : null;
  const rule: DisclosureRule = own ?? defaultDisclosureRule(row.audience, row.scoringType);
  return {
    disclosureRule: rule,
    disclosure: Object.assign(new MeasureDisclosure(), {
      kind: rule.kind as DisclosureKind,
      minCount: rule.kind === 'NONE' ? null : rule.minCount,
      roundTo: rule.kind === 'NONE' ? null : rule.roundTo,
      minDenominator: rule.kind === 'NONE' ? null : rule.minDenominator,
      isDefault: own === null,
      summary: describeRule(row.scoringType, rule),
    }),
  };
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

export function measureTargetFromRow(row: Omit<MeasureTargetRow, 'createdAt' | 'updatedAt'>): MeasureTarget {
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

@ObjectType()
export class MeasureTargetConnection extends Connection(MeasureTarget) {}

declare module '../graphql/node-registry' {
  interface NodeTypeNames {
    Measure: true;
    MeasureTarget: true;
  }
}
