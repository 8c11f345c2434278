import { DateResolver } from 'graphql-scalars';
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../graphql/connection';
import type { RequestContext } from '../graphql/context';
import { badInput } from '../graphql/errors';
import { PrincipleKey } from '../graphql/enums';
import { orgUnitFromRow, OrgUnit } from '../organisation/org-unit.type';
import { addMonths, monthStart } from '../statistics/periods';
import { feedbackFigures, type FeedbackFigures, type FigureItem } from '../statistics/feedback-figures';
import { FeedbackTheme, isoDay, themeFromRow } from './feedback.type';
import { todayUtc } from './feedback.service';
import { periodOf, unitOrThrow } from './you-said-we-did.service';

/**
 * The board's and the map's view of the feedback loop at an org unit: the figures of its whole
 * subtree (feedback by theme and principle, actions open / overdue / done / dropped, median days
 * from feedback to completion), the same for each child (drill-down), the coverage gaps (live
 * teams and wards with no feedback received in the 12 months to `to`, and those with overdue
 * actions) and an exception for every team or ward whose overdue actions reach the threshold.
 * A fixed number of statements whatever the size of the subtree.
 */
export const DEFAULT_OVERDUE_THRESHOLD = 3;

export enum FeedbackGapKind {
  NO_FEEDBACK_SOUGHT = 'NO_FEEDBACK_SOUGHT',
  OVERDUE_ACTIONS = 'OVERDUE_ACTIONS',
}
registerEnumType(FeedbackGapKind, {
  name: 'FeedbackGapKind',
  description: 'NO_FEEDBACK_SOUGHT: a live team or ward with no feedback received in the 12 months to the end of the period; OVERDUE_ACTIONS: one with open actions past their due date.',
});

@ObjectType()
export class FeedbackThemeCount {
  @Field(() => FeedbackTheme) theme!: FeedbackTheme;
  @Field(() => Int, { description: 'Items with this theme.' }) count!: number;
}

@ObjectType()
export class FeedbackPrincipleCount {
  @Field(() => PrincipleKey) principle!: PrincipleKey;
  @Field(() => Int, { description: 'Items with a theme of this principle (an item counts once per principle).' }) count!: number;
}

@ObjectType({ description: 'Counts of feedback items and actions (not of people: no small-number suppression applies).' })
export class FeedbackFiguresType {
  @Field(() => Int) feedbackCount!: number;
  @Field(() => Int, { description: 'Items with at least one action done.' }) answeredCount!: number;
  @Field(() => Int, { description: 'PLANNED or IN_PROGRESS.' }) actionsOpen!: number;
  @Field(() => Int, { description: 'Open and due before today.' }) actionsOverdue!: number;
  @Field(() => Int) actionsDone!: number;
  @Field(() => Int) actionsDropped!: number;
  @Field(() => Float, { nullable: true, description: 'Median days from feedback received to an action done (null when none is done).' }) medianDaysToDone!: number | null;
  @Field(() => [FeedbackThemeCount], { description: 'Most frequent first.' }) byTheme!: FeedbackThemeCount[];
  @Field(() => [FeedbackPrincipleCount], { description: 'In the order of the 4Rs.' }) byPrinciple!: FeedbackPrincipleCount[];
}

@ObjectType()
export class FeedbackOverviewRow {
  @Field(() => OrgUnit) orgUnit!: OrgUnit;
  @Field({ description: 'Whether it has live units below (drill down with feedbackOverview on it).' }) hasChildren!: boolean;
  @Field(() => FeedbackFiguresType) figures!: FeedbackFiguresType;
}

@ObjectType()
export class FeedbackGap {
  @Field(() => FeedbackGapKind) kind!: FeedbackGapKind;
  @Field(() => OrgUnit) orgUnit!: OrgUnit;
  @Field(() => Int, { description: 'Open actions past their due date (0 for NO_FEEDBACK_SOUGHT).' }) overdueActions!: number;
  @Field() message!: string;
}

@ObjectType({ description: 'A team or ward whose overdue actions reached the threshold.' })
export class FeedbackException {
  @Field(() => OrgUnit) orgUnit!: OrgUnit;
  @Field(() => Int) overdueActions!: number;
  @Field(() => Int) threshold!: number;
  @Field() message!: string;
}

@ObjectType()
export class FeedbackOverview {
  @Field(() => OrgUnit) orgUnit!: OrgUnit;
  @Field(() => DateResolver, { description: 'Feedback received on or after.' }) from!: Date;
  @Field(() => DateResolver, { description: 'Feedback received on or before.' }) to!: Date;
  @Field(() => DateResolver, { description: 'The day overdue is judged on (today).' }) asOf!: Date;
  @Field(() => FeedbackFiguresType, { description: 'The whole subtree, pooled.' }) total!: FeedbackFiguresType;
  @Field(() => [FeedbackOverviewRow], { description: 'Each live unit directly below, its own subtree pooled, by name.' }) children!: FeedbackOverviewRow[];
  /** The coverage gaps, by team or ward name: a connection in the API (FeedbackOverviewResolver). */
  gaps!: FeedbackGap[];
  @Field(() => Int) overdueThreshold!: number;
  /** Teams and wards at the threshold, most overdue first: a connection in the API. */
  exceptions!: FeedbackException[];
}

@ObjectType()
export class FeedbackGapConnection extends Connection(FeedbackGap) {}

@ObjectType()
export class FeedbackExceptionConnection extends Connection(FeedbackException) {}

/** Cursors name the item (its kind and team), not a position, so a page holds while the view changes. */
export const feedbackGapKey = (gap: FeedbackGap): string => `${gap.kind}:${gap.orgUnit.dbId}`;
export const feedbackExceptionKey = (exception: FeedbackException): number => exception.orgUnit.dbId;

const PRINCIPLE_ORDER = ['RIGHTS_BASED', 'RELATIONAL', 'REFLECTIVE', 'RESPONSIVE'];

export async function feedbackOverview(ctx: RequestContext, code: string, fromArg: Date | null | undefined, toArg: Date | null | undefined, threshold: number): Promise<FeedbackOverview> {
  if (!Number.isInteger(threshold) || threshold < 1) throw badInput('overdueThreshold is a whole number of at least 1', 'overdueThreshold');
  const unit = await unitOrThrow(ctx, code);
  const { from, to } = periodOf(fromArg, toArg);
  const today = todayUtc();
  const todayText = isoDay(today);
  const inSubtree = { path: { startsWith: unit.path } };
  const sinceForGaps = new Date(`${addMonths(monthStart(to), -11)}T00:00:00.000Z`);

  const [children, rows, leaves, recent, overdue] = await Promise.all([
    ctx.prisma.orgUnit.findMany({ where: { parentId: unit.dbId, archivedAt: null }, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    ctx.prisma.feedback.findMany({
      where: { orgUnit: inSubtree, receivedOn: { gte: from, lte: to } },
      select: { receivedOn: true, orgUnit: { select: { path: true } }, themes: { select: { theme: true } }, actions: { select: { status: true, dueOn: true, completedOn: true } } },
    }),
    ctx.prisma.orgUnit.findMany({ where: { ...inSubtree, archivedAt: null, type: { in: ['TEAM', 'WARD'] } }, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    // "Sought in the last 12 months": the 12 calendar months ending with `to`'s month (as CORE item 22 (c) counts them).
    ctx.prisma.feedback.findMany({ where: { orgUnit: inSubtree, receivedOn: { gte: sinceForGaps, lte: to } }, distinct: ['orgUnitId'], select: { orgUnitId: true } }),
    ctx.prisma.feedbackAction.findMany({ where: { status: { in: ['PLANNED', 'IN_PROGRESS'] }, dueOn: { lt: today }, feedback: { orgUnit: inSubtree } }, select: { feedback: { select: { orgUnitId: true } } } }),
  ]);
  const grandchildren = children.length
    ? await ctx.prisma.orgUnit.groupBy({ by: ['parentId'], where: { parentId: { in: children.map((c) => c.id) }, archivedAt: null }, _count: { _all: true } })
    : [];

  const themesByCode = new Map<string, FeedbackTheme>();
  const principlesByCode = new Map<string, string[]>();
  const items: Array<FigureItem & { path: string }> = rows.map((r) => {
    for (const link of r.themes) {
      themesByCode.set(link.theme.code, themeFromRow(link.theme));
      principlesByCode.set(link.theme.code, link.theme.principleKeys);
    }
    return {
      path: r.orgUnit.path,
      receivedOn: isoDay(r.receivedOn),
      themeCodes: r.themes.map((l) => l.theme.code),
      actions: r.actions.map((a) => ({ status: a.status, dueOn: isoDay(a.dueOn), completedOn: a.completedOn ? isoDay(a.completedOn) : null })),
    };
  });
  const figuresOf = (subset: FigureItem[]): FeedbackFiguresType => toType(feedbackFigures(subset, (c) => principlesByCode.get(c) ?? [], todayText, PRINCIPLE_ORDER), themesByCode);

  const sought = new Set(recent.map((r) => r.orgUnitId));
  const overdueByUnit = new Map<number, number>();
  for (const a of overdue) overdueByUnit.set(a.feedback.orgUnitId, (overdueByUnit.get(a.feedback.orgUnitId) ?? 0) + 1);
  const gaps: FeedbackGap[] = [];
  const exceptions: FeedbackException[] = [];
  const since = isoDay(sinceForGaps);
  for (const row of leaves) {
    const leaf = orgUnitFromRow(row);
    if (!sought.has(leaf.dbId)) {
      gaps.push({ kind: FeedbackGapKind.NO_FEEDBACK_SOUGHT, orgUnit: leaf, overdueActions: 0, message: `${leaf.name} has recorded no feedback received from ${since} to ${isoDay(to)}` });
    }
    const late = overdueByUnit.get(leaf.dbId) ?? 0;
    if (late > 0) gaps.push({ kind: FeedbackGapKind.OVERDUE_ACTIONS, orgUnit: leaf, overdueActions: late, message: `${leaf.name} has ${late} action${late === 1 ? '' : 's'} past ${late === 1 ? 'its' : 'their'} due date` });
    if (late >= threshold) exceptions.push({ orgUnit: leaf, overdueActions: late, threshold, message: `${late} overdue actions at ${leaf.name} (threshold ${threshold})` });
  }
  exceptions.sort((a, b) => b.overdueActions - a.overdueActions || a.orgUnit.name.localeCompare(b.orgUnit.name));

  const hasChildren = new Set(grandchildren.map((g) => g.parentId));
  return {
    orgUnit: unit,
    from,
    to,
    asOf: today,
    total: figuresOf(items),
    children: children.map((c) => ({ orgUnit: orgUnitFromRow(c), hasChildren: hasChildren.has(c.id), figures: figuresOf(items.filter((i) => i.path.startsWith(c.path))) })),
    gaps,
    overdueThreshold: threshold,
    exceptions,
  };
}

function toType(f: FeedbackFigures, themes: Map<string, FeedbackTheme>): FeedbackFiguresType {
  return {
    ...f,
    byTheme: f.byTheme.map((t) => ({ theme: themes.get(t.code)!, count: t.count })),
    byPrinciple: f.byPrinciple.map((p) => ({ principle: p.key as PrincipleKey, count: p.count })),
  };
}
