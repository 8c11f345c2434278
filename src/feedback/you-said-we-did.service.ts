import { badInput, notFound } from '../graphql/errors';
import type { RequestContext } from '../graphql/context';
import { orgUnitLoaders } from '../organisation/org-unit.loaders';
import { orgUnitFromRow, type OrgUnit } from '../organisation/org-unit.type';
import { actionFromRow, feedbackFromRow, isoDay, themeFromRow, type Feedback, type FeedbackAction, type FeedbackTheme } from './feedback.type';
import { todayUtc } from './feedback.service';

/**
 * "You said, we did": the published pairs of what was said and what was done, for a unit's
 * subtree and a period. Only PUBLISHED feedback appears (a reviewed summary); each of its actions
 * that was not DROPPED makes a pair, and a published item with no action yet makes one pair with
 * no action ("we are working on it"). A pair is in the period when its feedback was received in
 * it (from and to included); the default period is the 12 months to today.
 */
export interface YouSaidWeDidPair {
  key: string;
  feedback: Feedback;
  themes: FeedbackTheme[];
  action: FeedbackAction | null;
  orgUnit: OrgUnit;
}

export interface YouSaidWeDidView {
  orgUnit: OrgUnit;
  from: Date;
  to: Date;
  pairs: YouSaidWeDidPair[];
}

/** The most pairs one view holds (a ward's wall, a year of a directorate). */
export const MAX_PAIRS = 2000;

export function periodOf(from: Date | null | undefined, to: Date | null | undefined): { from: Date; to: Date } {
  const end = to ?? todayUtc();
  const start = from ?? new Date(Date.UTC(end.getUTCFullYear() - 1, end.getUTCMonth(), end.getUTCDate() + 1));
  if (start > end) throw badInput(`from (${isoDay(start)}) is after to (${isoDay(end)})`, 'from');
  return { from: start, to: end };
}

export async function unitOrThrow(ctx: RequestContext, code: string): Promise<OrgUnit> {
  const unit = await orgUnitLoaders(ctx).orgUnitByCode.load(code);
  if (!unit) throw notFound(`No org unit has code "${code}"`);
  return unit;
}

/** A fixed number of statements (the unit, then the items with their actions, themes and units), whatever the number of pairs. */
export async function youSaidWeDid(ctx: RequestContext, orgUnitCode: string, fromArg?: Date | null, toArg?: Date | null): Promise<YouSaidWeDidView> {
  const unit = await unitOrThrow(ctx, orgUnitCode);
  const { from, to } = periodOf(fromArg, toArg);
  const rows = await ctx.prisma.feedback.findMany({
    where: { status: 'PUBLISHED', receivedOn: { gte: from, lte: to }, orgUnit: { path: { startsWith: unit.path } } },
    include: {
      actions: { where: { status: { not: 'DROPPED' } }, orderBy: { id: 'asc' } },
      themes: { include: { theme: true }, orderBy: { theme: { code: 'asc' } } },
      orgUnit: true,
    },
    orderBy: [{ receivedOn: 'desc' }, { id: 'desc' }],
    take: MAX_PAIRS,
  });
  const today = todayUtc();
  const pairs: YouSaidWeDidPair[] = [];
  for (const row of rows) {
    const feedback = feedbackFromRow(row);
    const themes = row.themes.map((link) => themeFromRow(link.theme));
    const orgUnit = orgUnitFromRow(row.orgUnit);
    const actions = row.actions.length > 0 ? row.actions.map((a) => actionFromRow(a, today)) : [null];
    for (const action of actions) pairs.push({ key: `${row.id}:${action?.dbId ?? 0}`, feedback, themes, action, orgUnit });
  }
  return { orgUnit: unit, from, to, pairs: pairs.slice(0, MAX_PAIRS) };
}
