import { DateResolver } from 'graphql-scalars';
import { Field, Float, ObjectType } from 'type-graphql';

/* The disparity types the scorecard and the exceptions share with the equality view. */

@ObjectType({ description: 'A stratum’s ratio to the reference stratum: the rate ratio (RATE) or relative risk (PROPORTION), with its 95% interval by the log method.' })
export class DisparityRatio {
  @Field(() => Float, { nullable: true, description: 'Null when no ratio can be given or it is withheld (see `reason`).' }) value!: number | null;
  @Field(() => Float, { nullable: true }) lower!: number | null;
  @Field(() => Float, { nullable: true }) upper!: number | null;
  @Field({ description: 'The interval excludes 1: the difference is unlikely to be chance alone.' }) significant!: boolean;
  @Field(() => String, { nullable: true, description: 'Why there is no ratio: zero events, a suppressed figure, a scoring type without ratios.' }) reason!: string | null;
}

@ObjectType({ description: 'The stratum the others are compared with.' })
export class EqualityReference {
  @Field() code!: string;
  @Field() label!: string;
}

@ObjectType({ description: 'A stratum whose ratio to the reference stratum has a 95% interval that excludes 1.' })
export class DisparityFlag {
  @Field() stratifier!: string;
  @Field({ description: 'The stratum (or broad group) flagged.' }) code!: string;
  @Field() label!: string;
  @Field(() => EqualityReference) reference!: EqualityReference;
  @Field(() => DateResolver, { description: 'The window the ratio is over: the financial year to date for the scorecard, the latest complete quarter for a widening disparity.' })
  from!: string;
  @Field(() => DateResolver) to!: string;
  @Field(() => DisparityRatio) ratio!: DisparityRatio;
  @Field({ description: 'The ratio rose in each of the last two quarters (exceptions).' }) widening!: boolean;
}
