import { DateResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int } from 'type-graphql';
import { z } from 'zod';
import { PrincipleKey } from '../graphql/enums';
import { calendarDate, field, inputType, keepIfOmitted, VERSION, type RawInput } from '../graphql/input';
import { ORG_UNIT_CODE } from '../organisation/org-unit.input';
import { CoreItem22Criterion, FeedbackActionStatus, FeedbackSource } from './feedback.type';

/**
 * The feedback inputs: each field's GraphQL type and rule declared once (graphql/input.ts).
 * Free text (summaries, descriptions, evidence, reasons) is also screened for patient
 * identifiers by the service (IDENTIFIER_IN_TEXT), which a zod rule could not name by code.
 */

export const THEME_CODE = z
  .string()
  .trim()
  .regex(/^[A-Z0-9][A-Z0-9_-]{1,47}$/, 'A theme code is 2 to 48 characters: capital letters, digits, _ and -');
const THEME_NAME = z.string().trim().min(1, 'A name is required').max(200);
const PRINCIPLE_KEYS = z.array(z.enum(PrincipleKey)).min(1, 'A theme serves at least one of the 4Rs').max(4);
export const SUMMARY = z.string().trim().min(1, 'A summary is required').max(2000, 'A summary is at most 2,000 characters');
export const EXTERNAL_ID = z.string().trim().min(1, 'An external id cannot be blank').max(200);
const THEME_CODES = z.array(THEME_CODE).min(1, 'At least one theme').max(10, 'At most 10 themes');
const DESCRIPTION = z.string().trim().min(1, 'A description is required').max(2000);
const EVIDENCE = z.string().trim().min(1, 'Evidence cannot be blank: omit it, or say what shows the action was done').max(4000);
const REASON = z.string().trim().min(1, 'A reason cannot be blank').max(2000);
const CODE = z.string().trim().min(1).max(100);

export const FeedbackThemeCreateInput = inputType('FeedbackThemeCreateInput', {
  code: field(() => String, THEME_CODE, 'Unique and permanent, e.g. COMMUNICATION.'),
  name: field(() => String, THEME_NAME),
  principleKeys: field(() => [PrincipleKey], PRINCIPLE_KEYS, 'The 4Rs the theme speaks to (at least one).'),
});
export type FeedbackThemeCreateInput = RawInput<typeof FeedbackThemeCreateInput>;

export const FeedbackRecordInput = inputType('FeedbackRecordInput', {
  orgUnitCode: field(() => String, ORG_UNIT_CODE, 'Where it was received (a TEAM_MANAGER: within its subtree).'),
  source: field(() => FeedbackSource, z.enum(FeedbackSource)),
  receivedOn: field(() => DateResolver, calendarDate, 'Not in the future.'),
  themeCodes: field(() => [String], THEME_CODES, 'Codes from the faculty’s list (feedbackThemes).'),
  summary: field(() => String, SUMMARY, 'No patient identifiers: an NHS number, phone number, email address or postcode is refused (IDENTIFIER_IN_TEXT).'),
  externalId: field(() => String, EXTERNAL_ID.nullish(), 'Its id in the source system: (source, externalId) is unique within the trust.'),
});
export type FeedbackRecordInput = RawInput<typeof FeedbackRecordInput>;

export const FeedbackUpdateInput = inputType(
  'FeedbackUpdateInput',
  {
    id: field(() => ID, z.string()),
    version: field(() => Int, VERSION, 'The version you read; a stale one gets a CONFLICT user error and changes nothing.'),
    receivedOn: field(() => DateResolver, keepIfOmitted(calendarDate)),
    themeCodes: field(() => [String], keepIfOmitted(THEME_CODES)),
    summary: field(() => String, keepIfOmitted(SUMMARY), 'A changed summary returns a PUBLISHED item to DRAFT: it needs review again.'),
  },
  'Omitted fields stay as they are.',
);
export type FeedbackUpdateInput = RawInput<typeof FeedbackUpdateInput>;

export const FeedbackPublishInput = inputType('FeedbackPublishInput', {
  id: field(() => ID, z.string()),
  version: field(() => Int, VERSION),
});
export type FeedbackPublishInput = RawInput<typeof FeedbackPublishInput>;

/** An action's owner named by email: people's emails are stored lower-case. */
const OWNER_EMAIL = z.string().trim().toLowerCase().email('Not an email address').max(320);

export const FeedbackActionCreateInput = inputType('FeedbackActionCreateInput', {
  feedbackId: field(() => ID, z.string()),
  description: field(() => String, DESCRIPTION, 'What will be done; screened for patient identifiers.'),
  ownerPersonId: field(() => ID, z.string().nullish(), 'A person of the feedback’s trust (or of none); or name them by ownerPersonEmail (exactly one of the two).'),
  ownerPersonEmail: field(() => String, OWNER_EMAIL.nullish(), 'The owner’s email (any case); or ownerPersonId.'),
  dueOn: field(() => DateResolver, calendarDate, 'Not before the feedback was received.'),
  workstreamCode: field(() => String, CODE.nullish(), 'The workstream the action serves.'),
  measureCode: field(() => String, CODE.nullish(), 'The measure the action serves.'),
});
export type FeedbackActionCreateInput = RawInput<typeof FeedbackActionCreateInput>;

export const FeedbackActionUpdateInput = inputType(
  'FeedbackActionUpdateInput',
  {
    id: field(() => ID, z.string()),
    version: field(() => Int, VERSION),
    status: field(() => FeedbackActionStatus, keepIfOmitted(z.enum(FeedbackActionStatus)), 'DONE needs evidence; DROPPED needs droppedReason.'),
    evidence: field(() => String, EVIDENCE.nullish(), 'Evidence of completion; null clears it (not while DONE).'),
    completedOn: field(() => DateResolver, calendarDate.nullish(), 'With DONE: when (today when omitted); not before the feedback was received, nor in the future.'),
    droppedReason: field(() => String, REASON.nullish(), 'With DROPPED: why.'),
    description: field(() => String, keepIfOmitted(DESCRIPTION)),
    ownerPersonId: field(() => ID, keepIfOmitted(z.string()), 'A new owner; or name them by ownerPersonEmail (not both).'),
    ownerPersonEmail: field(() => String, keepIfOmitted(OWNER_EMAIL), 'A new owner by email (any case); or ownerPersonId.'),
    dueOn: field(() => DateResolver, keepIfOmitted(calendarDate)),
    workstreamCode: field(() => String, CODE.nullish(), 'null clears it.'),
    measureCode: field(() => String, CODE.nullish(), 'null clears it.'),
  },
  'Omitted fields stay as they are.',
);
export type FeedbackActionUpdateInput = RawInput<typeof FeedbackActionUpdateInput>;

export const CoreItem22AssessmentRecordInput = inputType('CoreItem22AssessmentRecordInput', {
  orgUnitCode: field(() => String, ORG_UNIT_CODE, 'A team or ward.'),
  criterion: field(() => CoreItem22Criterion, z.enum(CoreItem22Criterion)),
  met: field(() => Boolean, z.boolean()),
  assessedOn: field(() => DateResolver, calendarDate, 'Not in the future.'),
  assessor: field(() => String, z.string().trim().min(1, 'Who assessed it').max(200)),
  evidence: field(() => String, z.string().trim().min(1, 'Evidence is required').max(4000)),
});
export type CoreItem22AssessmentRecordInput = RawInput<typeof CoreItem22AssessmentRecordInput>;

// Bulk import: deliberately loose GraphQL types (strings), so each bad value is a row error
// (["rows", "<i>", "<field>"]) as importObservations reports it, never a request error.

@InputType({ description: 'One feedback item: CSV columns org_unit_code, source, external_id, received_on, theme_codes (separated by ;), summary.' })
export class FeedbackRowInput {
  @Field() orgUnitCode!: string;
  @Field({ description: 'A FeedbackSource name, e.g. FRIENDS_AND_FAMILY_TEST.' }) source!: string;
  @Field({ description: 'Required: re-sending the same (source, externalId) updates the item, never duplicates it.' }) externalId!: string;
  @Field({ description: 'YYYY-MM-DD.' }) receivedOn!: string;
  @Field(() => [String]) themeCodes!: string[];
  @Field() summary!: string;
}

@InputType()
export class ImportFeedbackInput {
  @Field(() => [FeedbackRowInput], { description: 'At most 5,000 rows.' }) rows!: FeedbackRowInput[];
  @Field({ defaultValue: false, description: 'Validate and count without writing anything.' }) dryRun!: boolean;
}

export const IMPORT_ROW = z.object({
  orgUnitCode: ORG_UNIT_CODE,
  source: z.enum(FeedbackSource, { message: `A source is one of ${Object.values(FeedbackSource).join(', ')}` }),
  externalId: EXTERNAL_ID,
  receivedOn: calendarDate,
  themeCodes: THEME_CODES,
  summary: SUMMARY,
});
export { MAX_IMPORT_ROWS } from './feedback-limits';
