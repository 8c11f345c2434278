import { ID } from 'type-graphql';
import { z } from 'zod';
import { SpcPhaseKind } from '../generated/prisma/enums';
import { field, inputType, type RawInput } from '../graphql/input';
import { isPeriodStart } from '../statistics/periods';

/** Every input of the board's annotations (commentary, SPC phases): its GraphQL shape and its validation, declared once. */

const PERIOD = z.string().refine(isPeriodStart, 'A period is the first day of a month, YYYY-MM-01');
const CODE = z.string().min(1);

export const CommentaryWriteInput = inputType('CommentaryWriteInput', {
  measureCode: field(() => String, CODE),
  orgUnitCode: field(() => String, CODE),
  periodStart: field(() => String, PERIOD, 'YYYY-MM-01'),
  text: field(() => String, z.string().trim().min(1, 'Commentary cannot be empty').max(10_000)),
});
export type CommentaryWriteInput = RawInput<typeof CommentaryWriteInput>;

export const SpcPhaseAddInput = inputType('SpcPhaseAddInput', {
  measureCode: field(() => String, CODE),
  orgUnitCode: field(() => String, CODE),
  kind: field(() => SpcPhaseKind, z.enum(SpcPhaseKind)),
  periodStart: field(() => String, PERIOD, 'BASELINE: its first period; RECALCULATION: the first period of the new process (YYYY-MM-01).'),
  periodEnd: field(() => String, PERIOD.nullish(), 'BASELINE only: its last period.'),
  reason: field(() => String, z.string().trim().min(5, 'Say why the process changed (at least a few words)').max(2000), 'The recorded change of process that justifies it.'),
});
export type SpcPhaseAddInput = RawInput<typeof SpcPhaseAddInput>;

/** SpcPhaseAddInput's rules with those between its fields: whether a phase has an end depends on its kind. */
export const spcPhaseAddRules = SpcPhaseAddInput.schema.superRefine((input, issues) => {
  if (input.kind === 'BASELINE' && !input.periodEnd) issues.addIssue({ code: 'custom', path: ['periodEnd'], message: 'A baseline needs its last period' });
  if (input.kind === 'RECALCULATION' && input.periodEnd) issues.addIssue({ code: 'custom', path: ['periodEnd'], message: 'A recalculation point has no end' });
  if (input.periodEnd && input.periodEnd < input.periodStart) issues.addIssue({ code: 'custom', path: ['periodEnd'], message: 'The baseline ends before it starts' });
});

export const SpcPhaseArchiveInput = inputType('SpcPhaseArchiveInput', {
  id: field(() => ID, z.string()),
});
export type SpcPhaseArchiveInput = RawInput<typeof SpcPhaseArchiveInput>;
