import { DateResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { z } from 'zod';
import { PrincipleKey, WorkstreamLeadRole, WorkstreamStatus } from '../graphql/enums';
import { calendarDate, field, inputType, keepIfOmitted, VERSION, type RawInput } from '../graphql/input';
import { OrderDirection } from '../graphql/ordering';
import { ORG_UNIT_CODE } from '../organisation/org-unit.input';

/**
 * Every input of a workstream and its links (principles, teams, leads): its GraphQL shape and
 * its validation, declared once. Milestones and involvement have theirs in milestone.input.ts.
 */

export const WORKSTREAM_CODE = z
  .string()
  .trim()
  .regex(/^[A-Z0-9][A-Z0-9_-]{1,47}$/, 'A workstream code is 2 to 48 characters: capital letters, digits, _ and -');

const NAME = z.string().trim().min(1, 'A name is required').max(200);
const DESCRIPTION = z.string().trim().max(4000);
const AIMS = z.array(z.string().trim().min(1, 'An aim cannot be empty').max(500)).max(20, 'At most 20 aims');
const STATUS = z.enum(WorkstreamStatus);

export const WorkstreamCreateInput = inputType('WorkstreamCreateInput', {
  code: field(() => String, WORKSTREAM_CODE, 'Unique and permanent, e.g. OPEN-DIALOGUE.'),
  name: field(() => String, NAME),
  description: field(() => String, DESCRIPTION.nullish()),
  aims: field(() => [String], AIMS.nullish()),
  status: field(() => WorkstreamStatus, STATUS.nullish(), 'PROPOSED when omitted.'),
  startDate: field(() => DateResolver, calendarDate.nullish()),
  endDate: field(() => DateResolver, calendarDate.nullish(), 'Not before startDate.'),
});
export type WorkstreamCreateInput = RawInput<typeof WorkstreamCreateInput>;

export const WorkstreamUpdateInput = inputType(
  'WorkstreamUpdateInput',
  {
    code: field(() => String, WORKSTREAM_CODE),
    version: field(() => Int, VERSION, 'The version you read; a stale one gets a CONFLICT user error and changes nothing.'),
    name: field(() => String, keepIfOmitted(NAME)),
    description: field(() => String, keepIfOmitted(DESCRIPTION)),
    aims: field(() => [String], keepIfOmitted(AIMS)),
    status: field(() => WorkstreamStatus, keepIfOmitted(STATUS)),
    startDate: field(() => DateResolver, calendarDate.nullish()),
    endDate: field(() => DateResolver, calendarDate.nullish()),
  },
  'Omitted fields stay as they are; null clears a date.',
);
export type WorkstreamUpdateInput = RawInput<typeof WorkstreamUpdateInput>;

export const WorkstreamArchiveInput = inputType('WorkstreamArchiveInput', {
  code: field(() => String, WORKSTREAM_CODE),
  version: field(() => Int, VERSION),
});
export type WorkstreamArchiveInput = RawInput<typeof WorkstreamArchiveInput>;

export const WorkstreamPrincipleInput = inputType('WorkstreamPrincipleInput', {
  workstreamCode: field(() => String, WORKSTREAM_CODE),
  principle: field(() => PrincipleKey, z.enum(PrincipleKey)),
});
export type WorkstreamPrincipleInput = RawInput<typeof WorkstreamPrincipleInput>;

export const WorkstreamTeamInput = inputType('WorkstreamTeamInput', {
  workstreamCode: field(() => String, WORKSTREAM_CODE),
  orgUnitCode: field(() => String, ORG_UNIT_CODE, 'A team or ward.'),
  joinedOn: field(() => DateResolver, calendarDate.nullish(), 'When the team joined (add only).'),
});
export type WorkstreamTeamInput = RawInput<typeof WorkstreamTeamInput>;

/** The most teams one workstreamAddTeams call enrols (a connection page's size). */
export const MAX_TEAMS_PER_CALL = 100;

export const WorkstreamTeamsInput = inputType(
  'WorkstreamTeamsInput',
  {
    workstreamCode: field(() => String, WORKSTREAM_CODE),
    orgUnitCodes: field(() => [String], z.array(ORG_UNIT_CODE).min(1, 'Name at least one team or ward').max(MAX_TEAMS_PER_CALL, `At most ${MAX_TEAMS_PER_CALL} teams or wards at a time`), 'Teams or wards, each named once.'),
    joinedOn: field(() => DateResolver, calendarDate.nullish(), 'When they joined (the same for all).'),
  },
  'Several teams or wards join one workstream at once: all of them, or (with user errors) none.',
);
export type WorkstreamTeamsInput = RawInput<typeof WorkstreamTeamsInput>;

export const WorkstreamLeadInput = inputType('WorkstreamLeadInput', {
  workstreamCode: field(() => String, WORKSTREAM_CODE),
  personId: field(() => ID, z.string().nullish(), 'The person’s global id; or name them by personEmail (exactly one of the two).'),
  personEmail: field(() => String, z.string().trim().toLowerCase().email('Not an email address').max(320).nullish(), 'The person’s email (any case); or personId.'),
  role: field(() => WorkstreamLeadRole, z.enum(WorkstreamLeadRole).nullish(), 'LEAD when omitted (add only); naming a current lead again changes their role.'),
});
export type WorkstreamLeadInput = RawInput<typeof WorkstreamLeadInput>;

// Sorting the `workstreams` list: an argument, not a write, so there is nothing to validate beyond its enums.

export enum WorkstreamOrderField {
  NAME = 'NAME',
  CODE = 'CODE',
  STATUS = 'STATUS',
  UPDATED_AT = 'UPDATED_AT',
}
registerEnumType(WorkstreamOrderField, { name: 'WorkstreamOrderField' });

@InputType({ description: 'Sort order; ties are broken by creation order, so paging never repeats or skips.' })
export class WorkstreamOrder {
  @Field(() => WorkstreamOrderField) field!: WorkstreamOrderField;
  @Field(() => OrderDirection, { nullable: true, description: 'ASC when omitted.' }) direction?: OrderDirection | null;
}
