import { DateResolver } from 'graphql-scalars';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Granularity, SeriesPoint, VariationIcon } from './board.type';
import type { Granularity as GranularityType } from '../statistics/periods';
import type { VariationIcon as VariationIconType } from '../statistics/spc';
import { Measure } from '../measures/measure.type';
import { OrgUnit } from '../organisation/org-unit.type';
import { DisparityRatio, EqualityReference } from './disparity.type';

export { DisparityFlag, DisparityRatio, EqualityReference } from './disparity.type';

@ObjectType({ description: 'The ratio to the reference stratum in one period.' })
export class RatioPoint {
  @Field(() => DateResolver) periodStart!: string;
  @Field() label!: string;
  @Field(() => DisparityRatio) ratio!: DisparityRatio;
}

@ObjectType({ description: 'A stratum’s own Making Data Count series (no target: targets belong to the whole population).' })
export class StratumSeries {
  @Field(() => Granularity) granularity!: GranularityType;
  @Field(() => DateResolver) from!: string;
  @Field(() => DateResolver) to!: string;
  @Field(() => [SeriesPoint]) points!: SeriesPoint[];
  @Field(() => VariationIcon, { nullable: true }) variationIcon!: VariationIconType | null;
}

@ObjectType({ description: 'One stratum (or broad group) of the population over the window.' })
export class EqualityStratum {
  @Field() code!: string;
  @Field() label!: string;
  @Field({ description: 'A broad group (ETHNICITY’s WHITE, BLACK, ...) pooled from its codes.' }) group!: boolean;
  @Field({ description: 'Not stated or not known: a data-quality stratum, never a reference.' }) notKnown!: boolean;
  @Field() isReference!: boolean;
  @Field(() => Float, { nullable: true, description: 'Pooled over the window (Σ/Σ); null when suppressed or missing.' }) value!: number | null;
  @Field(() => Float, { nullable: true }) numerator!: number | null;
  @Field(() => Float, { nullable: true }) denominator!: number | null;
  @Field() suppressed!: boolean;
  @Field(() => String, { nullable: true }) suppressionReason!: string | null;
  @Field({ description: 'No data for this stratum in the window.' }) missing!: boolean;
  @Field(() => DisparityRatio, { nullable: true, description: 'Null for the reference stratum itself.' }) ratioToReference!: DisparityRatio | null;
  @Field(() => StratumSeries) series!: StratumSeries;
  @Field(() => [RatioPoint], { description: 'The ratio to the reference per period of the series (empty for the reference).' }) ratioSeries!: RatioPoint[];
}

@ObjectType({ description: 'The whole population over the window, as the board shows it.' })
export class EqualityWhole {
  @Field(() => Float, { nullable: true }) value!: number | null;
  @Field(() => Float, { nullable: true }) numerator!: number | null;
  @Field(() => Float, { nullable: true }) denominator!: number | null;
  @Field() suppressed!: boolean;
  @Field(() => String, { nullable: true }) suppressionReason!: string | null;
  @Field() missing!: boolean;
}

@ObjectType({ description: 'A measure at an org unit split by one stratifier (PCREF): each stratum, its ratio to a reference, its series.' })
export class EqualityView {
  @Field(() => Measure) measure!: Measure;
  @Field(() => OrgUnit) orgUnit!: OrgUnit;
  @Field() stratifier!: string;
  @Field({ description: 'True when the strata are the stratifier’s broad groups.' }) grouped!: boolean;
  @Field(() => EqualityWhole) whole!: EqualityWhole;
  @Field(() => EqualityReference) reference!: EqualityReference;
  @Field(() => DateResolver, { description: 'First month of the window the strata are pooled over.' }) from!: string;
  @Field(() => DateResolver) to!: string;
  @Field(() => String, { nullable: true, description: 'Set when the window asked for was changed, and why (under disclosure control a window must be a month, quarter, financial year or year to date).' })
  windowNote!: string | null;
  @Field({ description: 'True when the reader sees figures under disclosure control.' }) disclosureControlled!: boolean;
  @Field(() => [EqualityStratum]) strata!: EqualityStratum[];
  @Field(() => Float, { nullable: true, description: 'Data quality: the not-stated and not-known share of the events (RATE, COUNT) or people (PROPORTION, MEAN) in the window.' })
  notKnownShare!: number | null;
  @Field(() => String, { nullable: true }) notKnownShareWithheldReason!: string | null;
  @Field({ description: 'Some stratum’s interval excludes 1.' }) anySignificant!: boolean;
}


export const EqualityRanking = { VALUE_BEST_FIRST: 'VALUE_BEST_FIRST', RATIO_WIDEST_FIRST: 'RATIO_WIDEST_FIRST' } as const;
registerEnumType(EqualityRanking, {
  name: 'EqualityRanking',
  description: 'VALUE_BEST_FIRST: by the stratum’s value, best first for the measure’s direction. RATIO_WIDEST_FIRST: by its ratio to the reference, the widest gap against the stratum first.',
});

@ObjectType({ description: 'One child org unit’s row of an equality drill-down.' })
export class EqualityDrillDownRow {
  @Field(() => OrgUnit) orgUnit!: OrgUnit;
  @Field(() => Int, { nullable: true, description: 'Null when the stratum is suppressed, missing or has no ratio here.' }) rank!: number | null;
  @Field(() => EqualityStratum, { nullable: true, description: 'The stratum at this unit over the parent’s window (its series omitted: ask `equality` for one unit).' })
  stratum!: EqualityStratum | null;
}

@ObjectType({ description: 'One stratum across the children of an org unit, ranked.' })
export class EqualityDrillDown {
  @Field(() => EqualityView, { description: 'The parent, pooled over its subtree.' }) total!: EqualityView;
  @Field(() => [EqualityDrillDownRow]) rows!: EqualityDrillDownRow[];
}
