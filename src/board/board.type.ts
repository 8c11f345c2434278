import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { Commentary as CommentaryRow, SpcPhase as SpcPhaseRow } from '../generated/prisma/client';
import { SpcPhaseKind } from '../generated/prisma/enums';
import { encodeGlobalId } from '../graphql/global-id';
import { Node } from '../graphql/node';
import { Connection } from '../graphql/connection';
import type { Granularity as GranularityType } from '../statistics/periods';
import type { AssuranceIcon as AssuranceIconType, PointType as PointTypeType, VariationIcon as VariationIconType } from '../statistics/spc';
import { Measure } from '../measures/measure.type';
import { OrgUnit } from '../organisation/org-unit.type';
import { Principle } from '../principles/principle.type';
import { Workstream } from '../workstreams/workstream.type';
import type { NodeTypeName } from '../graphql/node-registry';
import { DisparityFlag } from './disparity.type';

// The contract's SPC vocabulary (Making Data Count), as GraphQL enums.
export const PointType = {
  COMMON_CAUSE: 'COMMON_CAUSE',
  SPECIAL_CAUSE_IMPROVEMENT: 'SPECIAL_CAUSE_IMPROVEMENT',
  SPECIAL_CAUSE_CONCERN: 'SPECIAL_CAUSE_CONCERN',
  SPECIAL_CAUSE_NEITHER: 'SPECIAL_CAUSE_NEITHER',
} as const satisfies Record<PointTypeType, PointTypeType>;
export const VariationIcon = {
  COMMON_CAUSE: 'COMMON_CAUSE',
  IMPROVEMENT_HIGH: 'IMPROVEMENT_HIGH',
  IMPROVEMENT_LOW: 'IMPROVEMENT_LOW',
  CONCERN_HIGH: 'CONCERN_HIGH',
  CONCERN_LOW: 'CONCERN_LOW',
  NEITHER_HIGH: 'NEITHER_HIGH',
  NEITHER_LOW: 'NEITHER_LOW',
} as const satisfies Record<VariationIconType, VariationIconType>;
export const AssuranceIcon = { PASS: 'PASS', FAIL: 'FAIL', HIT_AND_MISS: 'HIT_AND_MISS' } as const satisfies Record<AssuranceIconType, AssuranceIconType>;
export const Granularity = { MONTH: 'MONTH', QUARTER: 'QUARTER', FINANCIAL_YEAR: 'FINANCIAL_YEAR' } as const satisfies Record<GranularityType, GranularityType>;

registerEnumType(PointType, { name: 'PointType', description: 'Making Data Count classification of one point.' });
registerEnumType(VariationIcon, { name: 'VariationIcon', description: 'Making Data Count variation icon, from the latest point.' });
registerEnumType(AssuranceIcon, { name: 'AssuranceIcon', description: 'Whether the process will meet its target: from the target against the latest limits.' });
registerEnumType(Granularity, { name: 'Granularity', description: 'Calendar months, or NHS financial quarters and years (April to March).' });
registerEnumType(SpcPhaseKind, { name: 'SpcPhaseKind' });

@ObjectType({ simpleResolvers: true, description: 'One period of a series. Values are in the measure’s unit (a proportion as 0..1, a rate already multiplied).' })
export class SeriesPoint {
  @Field(() => DateResolver) periodStart!: string;
  @Field(() => DateResolver, { description: 'First day of the period’s last month.' }) periodEnd!: string;
  @Field() label!: string;
  @Field(() => Float, { nullable: true, description: 'Null when missing or suppressed.' }) value!: number | null;
  @Field(() => Float, { nullable: true, description: 'Pooled over the subtree; rounded to 5 when shown under disclosure control.' }) numerator!: number | null;
  @Field(() => Float, { nullable: true }) denominator!: number | null;
  @Field(() => Int, { description: 'Frontline observations pooled into the point.' }) contributors!: number;
  @Field({ description: 'No data for the period (never reported as zero).' }) missing!: boolean;
  @Field(() => Int) monthsWithData!: number;
  @Field(() => Int) monthsExpected!: number;
  @Field({
    description:
      'A quarter or financial year at the edge of the data (the first with data, or the one the series ends in) with fewer months of data than it spans (a quarterly measure: fewer quarters). Shown, but left out of the SPC mean, limits and point types, like a gap. Always false by month.',
  })
  partial!: boolean;
  @Field({ description: 'Small numbers hidden under NHS disclosure rules; the point keeps its classification.' }) suppressed!: boolean;
  @Field(() => String, { nullable: true }) suppressionReason!: string | null;
  @Field(() => Float, { nullable: true }) mean!: number | null;
  @Field(() => Float, { nullable: true }) upperProcessLimit!: number | null;
  @Field(() => Float, { nullable: true }) lowerProcessLimit!: number | null;
  @Field(() => PointType, { nullable: true, description: 'Null with fewer than 13 points, or for a missing point.' }) pointType!: PointTypeType | null;
}

@ObjectType({ implements: Node, description: 'A recorded change of process: a baseline, or a point from which limits are recalculated.' })
export class SpcPhase extends Node {
  @Field(() => SpcPhaseKind) kind!: SpcPhaseKind;
  @Field(() => DateResolver) periodStart!: Date;
  @Field(() => DateResolver, { nullable: true }) periodEnd!: Date | null;
  @Field() reason!: string;
  @Field() createdBy!: string;
  @Field(() => DateTimeResolver) createdAt!: Date;
  @Field() archived!: boolean;
  dbId!: number;
  measureId!: number;
  orgUnitId!: number;
}

export const SPC_PHASE_TYPENAME = 'SpcPhase' satisfies NodeTypeName;

export function spcPhaseFromRow(row: SpcPhaseRow): SpcPhase {
  return Object.assign(new SpcPhase(), {
    id: encodeGlobalId(SPC_PHASE_TYPENAME, row.id),
    dbId: row.id,
    kind: row.kind,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    reason: row.reason,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    archived: row.archivedAt !== null,
    measureId: row.measureId,
    orgUnitId: row.orgUnitId,
  });
}

@ObjectType({ implements: Node, description: 'The measure owner’s narrative beside a number.' })
export class Commentary extends Node {
  @Field(() => DateResolver) periodStart!: Date;
  @Field() text!: string;
  @Field() author!: string;
  @Field(() => DateTimeResolver) createdAt!: Date;
  dbId!: number;
}

@ObjectType({ description: 'Versions of one narrative, newest first.' })
export class CommentaryConnection extends Connection(Commentary) {}

export const COMMENTARY_TYPENAME = 'Commentary' satisfies NodeTypeName;

export function commentaryFromRow(row: CommentaryRow): Commentary {
  return Object.assign(new Commentary(), {
    id: encodeGlobalId(COMMENTARY_TYPENAME, row.id),
    dbId: row.id,
    periodStart: row.periodStart,
    text: row.text,
    author: row.author,
    createdAt: row.createdAt,
  });
}

@ObjectType({ simpleResolvers: true, description: 'The financial year to date (April to the series’ last month), pooled from components.' })
export class YearToDate {
  @Field(() => DateResolver) from!: string;
  @Field(() => DateResolver) to!: string;
  @Field() label!: string;
  @Field(() => Float, { nullable: true }) value!: number | null;
  @Field(() => Float, { nullable: true }) numerator!: number | null;
  @Field(() => Float, { nullable: true }) denominator!: number | null;
  @Field() missing!: boolean;
  @Field(() => Int) monthsWithData!: number;
  @Field(() => Int) monthsExpected!: number;
  @Field() suppressed!: boolean;
  @Field(() => String, { nullable: true }) suppressionReason!: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'A measure at an org unit over time, pooled over the unit’s whole subtree, read through SPC.' })
export class MeasureSeries {
  @Field(() => Measure) measure!: Measure;
  @Field(() => OrgUnit) orgUnit!: OrgUnit;
  @Field(() => Granularity) granularity!: GranularityType;
  @Field(() => DateResolver) from!: string;
  @Field(() => DateResolver) to!: string;
  @Field(() => [SeriesPoint]) points!: SeriesPoint[];
  @Field(() => VariationIcon, { nullable: true }) variationIcon!: VariationIconType | null;
  @Field(() => AssuranceIcon, { nullable: true }) assuranceIcon!: AssuranceIconType | null;
  @Field(() => Float, { nullable: true, description: 'The target that applies here: the unit’s own, its nearest ancestor’s, or the trust-wide one.' })
  target!: number | null;
  @Field({ description: 'True when the reader sees figures under disclosure control (not this team’s own).' }) disclosureControlled!: boolean;
  @Field(() => [SpcPhase]) phases!: SpcPhase[];
  @Field(() => SeriesPoint, { nullable: true, description: 'The last point with data.' }) latest!: SeriesPoint | null;
  @Field(() => YearToDate) yearToDate!: YearToDate;
}

@ObjectType({ description: 'One measure on a scorecard: latest value, target, icons, and its recent points.' })
export class ScorecardEntry {
  @Field(() => Measure) measure!: Measure;
  @Field(() => MeasureSeries) series!: MeasureSeries;
  @Field(() => SeriesPoint, { nullable: true }) latest!: SeriesPoint | null;
  @Field(() => Float, { nullable: true }) target!: number | null;
  @Field(() => VariationIcon, { nullable: true }) variationIcon!: VariationIconType | null;
  @Field(() => AssuranceIcon, { nullable: true }) assuranceIcon!: AssuranceIconType | null;
  @Field(() => [SeriesPoint], { description: 'The last points up to the scorecard’s period.' }) recentPoints!: SeriesPoint[];
  @Field(() => Commentary, { nullable: true, description: 'Narrative for the latest period.' }) commentary!: Commentary | null;
  @Field(() => String, { nullable: true, description: 'In words, beside the icons, when the latest figure is suppressed: why, and what the icons then rest on.' })
  note!: string | null;
  @Field(() => [DisparityFlag], { description: 'For a stratified measure: the strata (ETHNICITY by broad group) whose ratio to the reference over the financial year to date has an interval that excludes 1.' })
  disparities!: DisparityFlag[];
}

@ObjectType()
export class ScorecardSection {
  @Field(() => Principle, { nullable: true }) principle!: Principle | null;
  @Field(() => Workstream, { nullable: true }) workstream!: Workstream | null;
  @Field(() => [ScorecardEntry]) entries!: ScorecardEntry[];
}

@ObjectType({ description: 'A board scorecard for an org unit as at a period.' })
export class Scorecard {
  @Field(() => OrgUnit) orgUnit!: OrgUnit;
  @Field(() => DateResolver, { description: 'The as-at month.' }) period!: string;
  @Field(() => Granularity, { description: 'What each entry’s points are: months, quarters or financial years.' }) granularity!: GranularityType;
  @Field(() => [ScorecardSection], { description: 'One section per principle (the 4Rs), each with the measures evidencing it.' }) principles!: ScorecardSection[];
  /** One section per live workstream with measures: a connection in the API (Scorecard.workstreams in board.resolver), the whole list for the board pack. */
  workstreams!: ScorecardSection[];
}

@ObjectType()
export class ScorecardSectionConnection extends Connection(ScorecardSection) {}

/** A workstream section's cursor names its workstream, so it holds while the cached view is recomputed. */
export function workstreamSectionKey(section: ScorecardSection): number {
  return section.workstream?.dbId ?? 0;
}

@ObjectType()
export class DrillDownRow {
  @Field(() => OrgUnit) orgUnit!: OrgUnit;
  @Field(() => Int, { nullable: true, description: '1 is best (direction-aware); null without a value.' }) rank!: number | null;
  @Field(() => SeriesPoint, { nullable: true }) latest!: SeriesPoint | null;
  @Field(() => VariationIcon, { nullable: true }) variationIcon!: VariationIconType | null;
  @Field(() => AssuranceIcon, { nullable: true }) assuranceIcon!: AssuranceIconType | null;
  @Field(() => Float, { nullable: true }) target!: number | null;
  @Field({ description: 'Whether the row can be drilled into further.' }) hasChildren!: boolean;
  @Field(() => MeasureSeries) series!: MeasureSeries;
}

@ObjectType({ description: 'One measure across the children of an org unit, ranked.' })
export class DrillDown {
  @Field(() => Measure) measure!: Measure;
  @Field(() => OrgUnit) orgUnit!: OrgUnit;
  @Field(() => DateResolver) period!: string;
  @Field(() => MeasureSeries, { description: 'The parent’s own pooled series.' }) total!: MeasureSeries;
  @Field(() => [DrillDownRow]) rows!: DrillDownRow[];
}

@ObjectType({ description: 'A measure at an org unit needing attention: latest point special-cause concern, or assurance FAIL.' })
export class ExceptionEntry {
  @Field(() => Measure) measure!: Measure;
  @Field(() => OrgUnit) orgUnit!: OrgUnit;
  @Field(() => SeriesPoint, { nullable: true }) latest!: SeriesPoint | null;
  @Field(() => VariationIcon, { nullable: true }) variationIcon!: VariationIconType | null;
  @Field(() => AssuranceIcon, { nullable: true }) assuranceIcon!: AssuranceIconType | null;
  @Field(() => [String], { description: 'SPECIAL_CAUSE_CONCERN, ASSURANCE_FAIL and/or DISPARITY_WIDENING.' }) reasons!: string[];
  @Field(() => [DisparityFlag], { description: 'For DISPARITY_WIDENING: the strata whose ratio to the reference has risen two quarters running and now excludes 1.' })
  disparities!: DisparityFlag[];
}

/** An exception's place in its list: the pair it is about, so a cursor outlives a recomputed view. */
export function exceptionKey(entry: ExceptionEntry): string {
  return `${entry.measure.dbId}-${entry.orgUnit.dbId}`;
}

@ObjectType({ description: 'Board exceptions, by org unit (the unit first, then its descendants by depth and name) and measure.' })
export class ExceptionEntryConnection extends Connection(ExceptionEntry) {}

declare module '../graphql/node-registry' {
  interface NodeTypeNames {
    SpcPhase: true;
    Commentary: true;
  }
}
