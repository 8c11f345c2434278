/**
 * Primary and complementary (secondary) cell suppression over a table of figures linked by
 * sums: a parent org unit is the sum of its children, a quarter the sum of its months, a
 * financial year the sum of its quarters, a year to date the previous year to date plus one
 * month. A reader who sees a total and all but one of its parts can subtract; so in every
 * such group the number of suppressed cells must be 0 or at least 2.
 *
 * The method (the usual one for hierarchical tables, e.g. in ONS and NHS Digital practice):
 *  1. primary suppression: every cell that fails the measure's small-number rule;
 *  2. repeat until nothing changes: for each group with exactly one suppressed cell, also
 *     suppress the group's smallest shown part (or, with no shown part left, its total).
 * Suppressions only ever grow, so it ends; the result depends only on the table, never on
 * which view asks, so every view a reader opens agrees with every other.
 *
 * A cell with no data is not in the table: the reader knows it adds nothing.
 * Pure: no I/O.
 */

export interface CellFigures {
  numerator: number;
  /** null for a COUNT */
  denominator: number | null;
}

/** total = Σ parts, as a reader could use it */
export interface AdditiveGroup {
  total: string;
  parts: string[];
}

export type SuppressionCause = 'PRIMARY' | 'COMPLEMENTARY';

export interface CellSuppression {
  cause: SuppressionCause;
  /** for PRIMARY: why (never the figure itself) */
  reason: string;
}

export const COMPLEMENTARY_REASON =
  'Suppressed to protect a small number elsewhere: shown, it would let a suppressed figure be worked out by subtraction.';

/**
 * The suppressed cells of a table: `primaryReason` says why a cell fails the rule (or null),
 * `groups` are the sums a reader could use. Cells named in a group but absent from `cells`
 * are treated as known zeros.
 */
export function suppressCells(
  cells: ReadonlyMap<string, CellFigures>,
  groups: readonly AdditiveGroup[],
  primaryReason: (figures: CellFigures) => string | null,
): Map<string, CellSuppression> {
  const suppressed = new Map<string, CellSuppression>();
  for (const [key, figures] of cells) {
    const reason = primaryReason(figures);
    if (reason !== null) suppressed.set(key, { cause: 'PRIMARY', reason });
  }
  if (suppressed.size === 0) return suppressed;

  // Only groups whose cells exist matter; index groups by cell so a new suppression
  // re-examines just the groups it belongs to.
  const live = groups
    .map((group) => ({ total: cells.has(group.total) ? group.total : null, parts: group.parts.filter((part) => cells.has(part)) }))
    .filter((group) => group.parts.length + (group.total ? 1 : 0) >= 2);
  const groupsOfCell = new Map<string, number[]>();
  live.forEach((group, index) => {
    for (const key of [...group.parts, ...(group.total ? [group.total] : [])]) {
      const list = groupsOfCell.get(key);
      if (list) list.push(index);
      else groupsOfCell.set(key, [index]);
    }
  });

  // A work queue of groups to (re)examine; `queued` keeps each in it at most once. (An array,
  // not a Set taken from the front: a Set skips its deleted slots on every read, O(n²) here.)
  const queue: number[] = [];
  const queued = new Uint8Array(live.length);
  const enqueue = (index: number) => {
    if (queued[index]) return;
    queued[index] = 1;
    queue.push(index);
  };
  for (const key of suppressed.keys()) for (const index of groupsOfCell.get(key) ?? []) enqueue(index);
  for (let head = 0; head < queue.length; head++) {
    const index = queue[head];
    queued[index] = 0;
    const group = live[index];
    const members = group.total ? [...group.parts, group.total] : group.parts;
    const hidden = members.filter((key) => suppressed.has(key)).length;
    if (hidden !== 1) continue;
    const shownParts = group.parts.filter((key) => !suppressed.has(key));
    const candidates = shownParts.length > 0 ? shownParts : group.total && !suppressed.has(group.total) ? [group.total] : [];
    if (candidates.length === 0) continue;
    const chosen = smallest(candidates, cells);
    suppressed.set(chosen, { cause: 'COMPLEMENTARY', reason: COMPLEMENTARY_REASON });
    for (const other of groupsOfCell.get(chosen) ?? []) enqueue(other);
  }
  return suppressed;
}

/** The cell whose loss costs the reader least: the smallest numerator, then denominator, then key (so the choice is stable). */
function smallest(keys: string[], cells: ReadonlyMap<string, CellFigures>): string {
  return keys.reduce((best, key) => {
    const a = cells.get(key) as CellFigures;
    const b = cells.get(best) as CellFigures;
    if (a.numerator !== b.numerator) return a.numerator < b.numerator ? key : best;
    const ad = a.denominator ?? 0;
    const bd = b.denominator ?? 0;
    if (ad !== bd) return ad < bd ? key : best;
    return key < best ? key : best;
  });
}
