import { DateResolver } from 'graphql-scalars';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, PageInfo } from '../graphql/connection';
import { Measure } from '../measures/measure.type';
import { OrgUnit } from '../organisation/org-unit.type';
import { Principle } from '../principles/principle.type';
import { Workstream } from '../workstreams/workstream.type';
import { GAP_KINDS, type GapKind } from './coverage';

export const CoverageGapKind = Object.fromEntries(GAP_KINDS.map((k) => [k, k])) as { [K in GapKind]: K };
registerEnumType(CoverageGapKind, {
  name: 'CoverageGapKind',
  description: 'Where the faculty map is thin: see Coverage for the precise definitions.',
});

@ObjectType({ description: 'One principle at one org unit: the workstreams and measures covering it.' })
export class CoverageCell {
  @Field(() => Principle) principle!: Principle;
  @Field(() => OrgUnit) orgUnit!: OrgUnit;
  // The lists behind the cell's connections (CoverageCellResolver pages them), in display order (by name).
  coveringWorkstreams!: Workstream[];
  coveringMeasures!: Measure[];
  recentMeasures!: Measure[];
  @Field({ description: 'A workstream or a measure covers the cell.' }) covered!: boolean;
  @Field({ description: 'At least one covering measure has recent data here: the principle is evidenced, not only worked on.' })
  evidenced!: boolean;
}

@ObjectType({ description: 'One principle across the columns.' })
export class CoverageRow {
  @Field(() => Principle) principle!: Principle;
  @Field(() => [CoverageCell], { description: 'One per column, in the order of Coverage.columns.' }) cells!: CoverageCell[];
}

@ObjectType({ description: 'A gap in the map, with the entity it is about (exactly one of the entity fields is set).' })
export class CoverageGap {
  @Field(() => CoverageGapKind) kind!: GapKind;
  @Field() message!: string;
  @Field(() => Principle, { nullable: true }) principle!: Principle | null;
  @Field(() => Workstream, { nullable: true }) workstream!: Workstream | null;
  @Field(() => OrgUnit, { nullable: true }) orgUnit!: OrgUnit | null;
  @Field(() => Measure, { nullable: true }) measure!: Measure | null;
  @Field(() => DateResolver, { nullable: true, description: 'MEASURE_WITHOUT_RECENT_DATA: the last period with data in scope, if any; MEASURE_WITHOUT_RECENT_STRATA: the last with stratified data.' })
  lastDataPeriod!: Date | null;
}

@ObjectType({
  description:
    'The 4Rs × org units matrix of an org unit’s subtree. A workstream covers (principle, unit) when it is live, serves the principle, and a team or ward of the unit’s subtree takes part. ' +
    'A measure covers it when it is live, evidences the principle, and has recent data at the unit or belongs to a covering workstream. ' +
    'Recent: within the last three periods (months, or quarters for a quarterly measure) ending at `latestPeriod`, the latest period with any data in the subtree. ' +
    'Gaps: a principle no live measure evidences; an in-scope workstream with no live measure, or with no LEAD or CO_LEAD; a live team or ward in no live workstream; ' +
    'a measure with no recent data in the subtree (under a trust: every live measure; below: those with data there once, or belonging to a workstream there); ' +
    'a patient measure with recent data but none by ethnicity, sex, age band or legal status in the same window (the equality lens). ' +
    'Workstreams in scope: those with a live team in the subtree, and under a trust also those with no team yet.',
})
export class Coverage {
  @Field(() => OrgUnit) root!: OrgUnit;
  @Field(() => Int, { description: 'The tree depth (OrgUnit.depth) of the columns.' }) depth!: number;
  @Field(() => DateResolver, { nullable: true, description: 'The reference period: the latest with any data in the subtree (null: no data).' })
  latestPeriod!: Date | null;
  @Field(() => DateResolver, { nullable: true, description: 'The first month that counts as recent for a monthly measure.' }) recentFrom!: Date | null;
  @Field(() => [OrgUnit], { description: 'Live units of the subtree at `depth`, by name: one page of them (`first`/`after` of `coverage`; 20 when absent, at most 100).' })
  columns!: OrgUnit[];
  @Field(() => PageInfo, { description: 'Where this page of columns sits; the cursors go to `coverage(after:)` / `coverage(before:)`.' }) columnsPageInfo!: PageInfo;
  @Field(() => Int, { description: 'Live units of the subtree at `depth`, on every page.' }) totalColumns!: number;
  @Field(() => [CoverageRow], { description: 'One per principle, in the usual order.' }) rows!: CoverageRow[];
  /** The gaps of the whole subtree, in display order (Coverage.gaps pages them: CoverageGapsResolver). */
  gapList!: CoverageGap[];
}

@ObjectType()
export class CoverageGapConnection extends Connection(CoverageGap) {}
