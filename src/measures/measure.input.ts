import { Field, Float, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { z } from 'zod';
import { Audience, ImprovementDirection, Periodicity, PrincipleKey, ScoringType } from '../graphql/enums';
import { field, inputType, keepIfOmitted, VERSION, type RawInput } from '../graphql/input';
import { OrderDirection } from '../graphql/ordering';
import { ORG_UNIT_CODE } from '../organisation/org-unit.input';
import { WORKSTREAM_CODE } from '../workstreams/workstream.input';
import { DisclosureKind } from './measure.type';
import { STRATIFIER_KEYS, type StratifierKey } from '../statistics/stratifiers';

/** The stratifiers a measure is reported by: distinct keys of statistics/stratifiers.ts. */
const STRATIFIER_LIST = z
  .array(z.enum(STRATIFIER_KEYS as [StratifierKey, ...StratifierKey[]], { message: `A stratifier is one of ${STRATIFIER_KEYS.join(', ')}` }))
  .max(STRATIFIER_KEYS.length)
  .transform((keys) => [...new Set(keys)]);

/** Every input of the measures feature: its GraphQL shape and its validation, declared once. */

export const MEASURE_CODE = z
  .string()
  .trim()
  .regex(/^[A-Z0-9][A-Z0-9_-]{1,47}$/, 'A measure code is 2 to 48 characters: capital letters, digits, _ and -');

const NAME = z.string().trim().min(1, 'A name is required').max(200);
const MULTIPLIER = z.number().finite().positive('A multiplier must be greater than 0').nullish();
const UNIT = z.string().trim().min(1).max(60).nullish();
const LABEL = z.string().trim().max(200).nullish();

export const MeasureDisclosureInput = inputType(
  'MeasureDisclosureInput',
  {
    kind: field(() => DisclosureKind, z.enum(DisclosureKind)),
    minCount: field(() => Int, z.number().int().min(0).max(1000).nullish(), 'SMALL_NUMBERS: smallest count shown; 5 when omitted.'),
    roundTo: field(() => Int, z.number().int().min(0).max(1000).nullish(), 'SMALL_NUMBERS: shown counts are rounded to the nearest multiple of this (0: not rounded); 5 when omitted.'),
    minDenominator: field(
      () => Float,
      z.number().finite().min(0).max(1_000_000).nullish(),
      'SMALL_NUMBERS: smallest denominator shown; when omitted 100 for a RATE (bed days), else minCount.',
    ),
  },
  'A small-number rule for a measure (README "Disclosure control").',
);
export type MeasureDisclosureInput = RawInput<typeof MeasureDisclosureInput>;

const DISCLOSURE = MeasureDisclosureInput.schema.nullish();

export const MeasureCreateInput = inputType('MeasureCreateInput', {
  code: field(() => String, MEASURE_CODE),
  name: field(() => String, NAME),
  description: field(() => String, z.string().trim().max(4000).nullish()),
  scoringType: field(() => ScoringType, z.enum(ScoringType)),
  improvementDirection: field(() => ImprovementDirection, z.enum(ImprovementDirection)),
  multiplier: field(() => Float, MULTIPLIER, 'Required for a RATE (e.g. 1000); not allowed otherwise.'),
  unit: field(() => String, UNIT),
  target: field(() => Float, z.number().finite().nullish(), 'Trust-wide target in the measure’s unit (a proportion as 0..1).'),
  audience: field(() => Audience, z.enum(Audience).nullish(), 'Whose experience it measures; PATIENTS when omitted.'),
  periodicity: field(
    () => Periodicity,
    z.enum(Periodicity, { message: 'A periodicity is MONTH or QUARTER' }).nullish(),
    'How often it is reported: MONTH (calendar months) or QUARTER (observations start in January, April, July or October); MONTH when omitted.',
  ),
  numeratorLabel: field(() => String, LABEL),
  denominatorLabel: field(() => String, LABEL),
  disclosure: field(() => MeasureDisclosureInput.type, DISCLOSURE, 'The small-number rule; the default for the audience and scoring type when omitted.'),
  stratifiers: field(() => [String], STRATIFIER_LIST.nullish(), 'The stratifiers it is reported by (ETHNICITY, SEX, AGE_BAND, LEGAL_STATUS); none when omitted.'),
});
export type MeasureCreateInput = RawInput<typeof MeasureCreateInput>;

export const MeasureUpdateInput = inputType(
  'MeasureUpdateInput',
  {
    code: field(() => String, MEASURE_CODE, 'Which measure (codes never change: integrations send them).'),
    version: field(() => Int, VERSION, 'The version you read; a stale one gets a CONFLICT user error and changes nothing.'),
    name: field(() => String, keepIfOmitted(NAME)),
    description: field(() => String, keepIfOmitted(z.string().trim().max(4000))),
    scoringType: field(() => ScoringType, keepIfOmitted(z.enum(ScoringType))),
    improvementDirection: field(() => ImprovementDirection, keepIfOmitted(z.enum(ImprovementDirection))),
    multiplier: field(() => Float, MULTIPLIER),
    unit: field(() => String, UNIT),
    audience: field(() => Audience, keepIfOmitted(z.enum(Audience))),
    periodicity: field(() => Periodicity, keepIfOmitted(z.enum(Periodicity))),
    numeratorLabel: field(() => String, LABEL),
    denominatorLabel: field(() => String, LABEL),
    ownerPersonId: field(() => ID, z.string().nullish(), 'The person who owns the measure (null: no owner); or name them by ownerPersonEmail (not both).'),
    ownerPersonEmail: field(() => String, z.string().trim().toLowerCase().email('Not an email address').max(320).nullish(), 'The owner’s email (any case); or ownerPersonId.'),
    disclosure: field(() => MeasureDisclosureInput.type, DISCLOSURE, 'The small-number rule (ADMIN or FACULTY_LEAD); null returns to the default.'),
    stratifiers: field(() => [String], keepIfOmitted(STRATIFIER_LIST), 'The stratifiers it is reported by; one with stratified observations cannot be taken away.'),
  },
  'Omitted fields stay as they are; null clears multiplier, unit, labels or owner, or returns the disclosure rule to its default. scoringType, multiplier and periodicity are fixed once the measure has observations.',
);
export type MeasureUpdateInput = RawInput<typeof MeasureUpdateInput>;

export const MeasureArchiveInput = inputType('MeasureArchiveInput', {
  code: field(() => String, MEASURE_CODE),
  version: field(() => Int, VERSION),
});
export type MeasureArchiveInput = RawInput<typeof MeasureArchiveInput>;

export const MeasurePrincipleInput = inputType('MeasurePrincipleInput', {
  measureCode: field(() => String, MEASURE_CODE),
  principle: field(() => PrincipleKey, z.enum(PrincipleKey)),
});
export type MeasurePrincipleInput = RawInput<typeof MeasurePrincipleInput>;

export const MeasureWorkstreamInput = inputType('MeasureWorkstreamInput', {
  measureCode: field(() => String, MEASURE_CODE),
  workstreamCode: field(() => String, WORKSTREAM_CODE),
});
export type MeasureWorkstreamInput = RawInput<typeof MeasureWorkstreamInput>;

/** The most measures one workstreamAddMeasures call links (a connection page's size). */
export const MAX_MEASURES_PER_CALL = 100;

export const WorkstreamMeasuresInput = inputType(
  'WorkstreamMeasuresInput',
  {
    workstreamCode: field(() => String, WORKSTREAM_CODE),
    measureCodes: field(() => [String], z.array(MEASURE_CODE).min(1, 'Name at least one measure').max(MAX_MEASURES_PER_CALL, `At most ${MAX_MEASURES_PER_CALL} measures at a time`), 'Measures, each named once.'),
  },
  'Several measures evidence one workstream at once: all of them, or (with user errors) none.',
);
export type WorkstreamMeasuresInput = RawInput<typeof WorkstreamMeasuresInput>;

export const MeasureTargetSetInput = inputType('MeasureTargetSetInput', {
  measureCode: field(() => String, MEASURE_CODE),
  orgUnitCode: field(() => String, ORG_UNIT_CODE.nullish(), 'The org unit the target is for; omit for the trust-wide target.'),
  value: field(() => Float, z.number().finite(), 'In the measure’s unit (a proportion as a fraction 0..1).'),
  rationale: field(() => String, z.string().trim().max(2000).nullish()),
  version: field(() => Int, VERSION.nullish(), 'The version of the target you are replacing; omit when setting one where there was none.'),
});
export type MeasureTargetSetInput = RawInput<typeof MeasureTargetSetInput>;

export const MeasureTargetRemoveInput = inputType('MeasureTargetRemoveInput', {
  measureCode: field(() => String, MEASURE_CODE),
  orgUnitCode: field(() => String, ORG_UNIT_CODE.nullish()),
  version: field(() => Int, VERSION),
});
export type MeasureTargetRemoveInput = RawInput<typeof MeasureTargetRemoveInput>;

// Sorting the `measures` list: an argument, not a write, so there is nothing to validate beyond its enums.

export enum MeasureOrderField {
  NAME = 'NAME',
  CODE = 'CODE',
  UPDATED_AT = 'UPDATED_AT',
}
registerEnumType(MeasureOrderField, { name: 'MeasureOrderField' });

@InputType({ description: 'Sort order; ties are broken by creation order, so paging never repeats or skips.' })
export class MeasureOrder {
  @Field(() => MeasureOrderField) field!: MeasureOrderField;
  @Field(() => OrderDirection, { nullable: true, description: 'ASC when omitted.' }) direction?: OrderDirection | null;
}
