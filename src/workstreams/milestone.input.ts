import { DateResolver } from 'graphql-scalars';
import { ID, Int } from 'type-graphql';
import { z } from 'zod';
import { InvolvementKind, MilestoneStatus } from '../graphql/enums';
import { calendarDate, field, inputType, keepIfOmitted, VERSION, type RawInput } from '../graphql/input';
import { WORKSTREAM_CODE } from './workstream.input';

/** Every input of a workstream's milestones and lived-experience involvement, declared once. */

const TITLE = z.string().trim().min(1, 'A title is required').max(300);

export const MilestoneCreateInput = inputType('MilestoneCreateInput', {
  workstreamCode: field(() => String, WORKSTREAM_CODE),
  title: field(() => String, TITLE),
  dueDate: field(() => DateResolver, calendarDate.nullish(), 'Within the workstream’s start and end dates.'),
  status: field(() => MilestoneStatus, z.enum(MilestoneStatus).nullish(), 'PLANNED when omitted.'),
  completedOn: field(() => DateResolver, calendarDate.nullish(), 'Only for a DONE milestone.'),
});
export type MilestoneCreateInput = RawInput<typeof MilestoneCreateInput>;

export const MilestoneUpdateInput = inputType(
  'MilestoneUpdateInput',
  {
    id: field(() => ID, z.string()),
    version: field(() => Int, VERSION),
    title: field(() => String, keepIfOmitted(TITLE)),
    dueDate: field(() => DateResolver, calendarDate.nullish()),
    status: field(() => MilestoneStatus, keepIfOmitted(z.enum(MilestoneStatus))),
    completedOn: field(() => DateResolver, calendarDate.nullish()),
  },
  'Omitted fields stay as they are; null clears a date.',
);
export type MilestoneUpdateInput = RawInput<typeof MilestoneUpdateInput>;

/** Archives a milestone or an involvement record. */
export const ArchiveByIdInput = inputType('ArchiveByIdInput', {
  id: field(() => ID, z.string()),
  version: field(() => Int, VERSION),
});
export type ArchiveByIdInput = RawInput<typeof ArchiveByIdInput>;

const DESCRIPTION = z.string().trim().min(1, 'Say how people take part').max(4000);
const PEOPLE_COUNT = z.number().int('A number of people is a whole number').min(0, 'A number of people cannot be negative').max(100_000);

export const LivedExperienceInvolvementCreateInput = inputType('LivedExperienceInvolvementCreateInput', {
  workstreamCode: field(() => String, WORKSTREAM_CODE),
  kind: field(() => InvolvementKind, z.enum(InvolvementKind)),
  description: field(() => String, DESCRIPTION),
  peopleCount: field(() => Int, PEOPLE_COUNT.nullish()),
  startedOn: field(() => DateResolver, calendarDate.nullish()),
});
export type LivedExperienceInvolvementCreateInput = RawInput<typeof LivedExperienceInvolvementCreateInput>;

export const LivedExperienceInvolvementUpdateInput = inputType(
  'LivedExperienceInvolvementUpdateInput',
  {
    id: field(() => ID, z.string()),
    version: field(() => Int, VERSION),
    kind: field(() => InvolvementKind, keepIfOmitted(z.enum(InvolvementKind))),
    description: field(() => String, keepIfOmitted(DESCRIPTION)),
    peopleCount: field(() => Int, PEOPLE_COUNT.nullish()),
    startedOn: field(() => DateResolver, calendarDate.nullish()),
  },
  'Omitted fields stay as they are; null clears peopleCount or startedOn.',
);
export type LivedExperienceInvolvementUpdateInput = RawInput<typeof LivedExperienceInvolvementUpdateInput>;
