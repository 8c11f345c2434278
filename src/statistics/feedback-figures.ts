/**
 * Figures of the feedback ledger for the board and map views, as pure calculations: what was
 * heard (items by theme and by principle), what was done about it (actions open, overdue, done,
 * dropped) and how fast (the median days from feedback to an action's completion), for any
 * set of items; pooling a parent is the same calculation over the union of its children's
 * items (counts add up; a median is recomputed from the pooled durations, never averaged).
 *
 * These count feedback items and actions, not people: an item is one comment, survey answer,
 * complaint or meeting note, and is not linked to a patient. So small-number suppression
 * (which protects people's counts) does not apply; see README "You said, we did".
 */

export interface FigureAction {
  status: 'PLANNED' | 'IN_PROGRESS' | 'DONE' | 'DROPPED';
  /** YYYY-MM-DD */
  dueOn: string;
  completedOn: string | null;
}

export interface FigureItem {
  /** YYYY-MM-DD */
  receivedOn: string;
  themeCodes: readonly string[];
  actions: readonly FigureAction[];
}

export interface FeedbackFigures {
  feedbackCount: number;
  /** items with at least one action DONE */
  answeredCount: number;
  actionsOpen: number;
  actionsOverdue: number;
  actionsDone: number;
  actionsDropped: number;
  /** over DONE actions: completedOn − receivedOn in days; null when none is done */
  medianDaysToDone: number | null;
  byTheme: Array<{ code: string; count: number }>;
  byPrinciple: Array<{ key: string; count: number }>;
}

const DAY_MS = 86_400_000;

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The median of a list (the mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function isOpen(action: FigureAction): boolean {
  return action.status === 'PLANNED' || action.status === 'IN_PROGRESS';
}

/** Open and due before `today` (YYYY-MM-DD). */
export function isOverdueOn(action: FigureAction, today: string): boolean {
  return isOpen(action) && action.dueOn < today;
}

/**
 * The figures of a set of items. `principlesOf` maps a theme code to its principle keys; an item
 * counts once per theme and once per principle (two of its themes sharing a principle count once).
 */
export function feedbackFigures(items: readonly FigureItem[], principlesOf: (themeCode: string) => readonly string[], today: string, principleOrder: readonly string[] = []): FeedbackFigures {
  const themes = new Map<string, number>();
  const principles = new Map<string, number>();
  const durations: number[] = [];
  let open = 0;
  let overdue = 0;
  let done = 0;
  let dropped = 0;
  let answered = 0;
  for (const item of items) {
    for (const code of new Set(item.themeCodes)) themes.set(code, (themes.get(code) ?? 0) + 1);
    for (const key of new Set(item.themeCodes.flatMap((c) => principlesOf(c)))) principles.set(key, (principles.get(key) ?? 0) + 1);
    let anyDone = false;
    for (const a of item.actions) {
      if (isOpen(a)) open += 1;
      if (isOverdueOn(a, today)) overdue += 1;
      if (a.status === 'DROPPED') dropped += 1;
      if (a.status === 'DONE') {
        done += 1;
        anyDone = true;
        if (a.completedOn) durations.push(daysBetween(item.receivedOn, a.completedOn));
      }
    }
    if (anyDone) answered += 1;
  }
  const rank = (key: string) => (principleOrder.includes(key) ? principleOrder.indexOf(key) : principleOrder.length);
  return {
    feedbackCount: items.length,
    answeredCount: answered,
    actionsOpen: open,
    actionsOverdue: overdue,
    actionsDone: done,
    actionsDropped: dropped,
    medianDaysToDone: median(durations),
    byTheme: [...themes].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    byPrinciple: [...principles].map(([key, count]) => ({ key, count })).sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key)),
  };
}
