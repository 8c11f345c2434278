import { Field, Float, InputType } from 'type-graphql';

/**
 * The observation inputs. Unlike other features' inputs (inputType() in graphql/input.ts),
 * their rules are not per field: every row is checked by the import pipeline's validate step
 * (row-validation.ts) against its measure's scoring type, so that each problem is reported on
 * its own row (`["rows", "3", "numerator"]`) and good rows can still be written. The GraphQL
 * shape here is deliberately loose (a period is a string) so that a bad value is a row error,
 * never a request error.
 */

@InputType({ description: 'One stratum of the population (the equality lens), e.g. { stratifier: "ETHNICITY", code: "M" }.' })
export class StratumInput {
  @Field({ description: 'ETHNICITY, SEX, AGE_BAND or LEGAL_STATUS: one the measure is reported by.' }) stratifier!: string;
  @Field({ description: 'The stratum’s code, e.g. ETHNICITY "A" (White British) or "99" (not known).' }) code!: string;
}

@InputType({ description: 'One observation: CSV columns measure_code, org_unit_code, period_start, numerator, denominator, source, external_id (and stratifier, stratum_code for a stratum).' })
export class ObservationRowInput {
  @Field() measureCode!: string;
  @Field() orgUnitCode!: string;
  @Field({ description: 'First day of the period, YYYY-MM-01 (a string, so a bad date is a row error, not a request error).' })
  periodStart!: string;
  @Field(() => Float, { nullable: true }) numerator?: number | null;
  @Field(() => Float, { nullable: true, description: 'Required for PROPORTION, RATE and MEAN; absent for COUNT.' }) denominator?: number | null;
  @Field(() => String, { nullable: true, description: 'Sending system; defaults to the integration client’s source system, or "api".' }) source?: string | null;
  @Field(() => String, { nullable: true, description: 'The record’s id in the sending system: re-sending it is idempotent.' }) externalId?: string | null;
  @Field(() => StratumInput, {
    nullable: true,
    description: 'One stratum of the population; absent: the whole population. A stratifier’s strata add up to the whole (sent or, if not, worked out from them).',
  })
  stratum?: StratumInput | null;
}

@InputType()
export class ImportObservationsInput {
  @Field(() => [ObservationRowInput], { description: 'At most 10,000 rows.' }) rows!: ObservationRowInput[];
  @Field({ defaultValue: false, description: 'Validate and count without writing anything.' }) dryRun!: boolean;
  @Field({ defaultValue: true, description: 'true: any row error and nothing is written. false: valid rows are written, the rest listed in `rejectedRows`.' })
  allOrNothing!: boolean;
}

@InputType()
export class ObservationRecordInput {
  @Field() measureCode!: string;
  @Field() orgUnitCode!: string;
  @Field() periodStart!: string;
  @Field(() => Float, { nullable: true }) numerator?: number | null;
  @Field(() => Float, { nullable: true }) denominator?: number | null;
  @Field(() => String, { nullable: true }) source?: string | null;
  @Field(() => String, { nullable: true }) externalId?: string | null;
}
