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
  const keys = [...cells.keys()];
  const figures = [...cells.values()];
  const idOf = new Map<string, number>();
  keys.forEach((key, id) => idOf.set(key, id));
  const indexed = new IndexedGroups();
  for (const group of groups) indexed.add(idOf.get(group.total) ?? -1, group.parts.map((part) => idOf.get(part) ?? -1));
  const { state, reasons } = suppressIndexedCells(figures, indexed, primaryReason, (id) => keys[id]);
  const result = new Map<string, CellSuppression>();
  for (let id = 0; id < keys.length; id++) {
    if (state[id] === 1) result.set(keys[id], { cause: 'PRIMARY', reason: reasons.get(id) as string });
    else if (state[id] === 2) result.set(keys[id], COMPLEMENTARY);
  }
  return result;
}

export const COMPLEMENTARY: CellSuppression = { cause: 'COMPLEMENTARY', reason: COMPLEMENTARY_REASON };

/**
 * Sums over integer cell ids, kept flat: group g is `totals[g]` (or -1: none) = Σ members from
 * `starts[g]` to `starts[g + 1]`. A part that does not exist (-1) is a known zero and left out; a
 * group with fewer than two cells left says nothing and is dropped.
 */
export class IndexedGroups {
  readonly totals: number[] = [];
  readonly starts: number[] = [0];
  readonly members: number[] = [];

  add(total: number, parts: readonly number[]): void {
    const begin = this.members.length;
    for (const part of parts) if (part >= 0) this.members.push(part);
    if (this.members.length - begin + (total >= 0 ? 1 : 0) < 2) {
      this.members.length = begin;
      return;
    }
    this.totals.push(total);
    this.starts.push(this.members.length);
  }

  get count(): number {
    return this.totals.length;
  }
}

/**
 * The method over integer ids (the table builders' form: no string per cell or part).
 * `keyOf` names a cell, only to break ties between equal figures the same way every time.
 * State per cell: 0 shown, 1 primary, 2 complementary.
 */
export function suppressIndexedCells(
  figures: readonly CellFigures[],
  groups: IndexedGroups,
  primaryReason: (figures: CellFigures) => string | null,
  keyOf: (id: number) => string,
): { state: Uint8Array; reasons: Map<number, string> } {
  const cellCount = figures.length;
  const state = new Uint8Array(cellCount);
  const reasons = new Map<number, string>();
  for (let id = 0; id < cellCount; id++) {
    const reason = primaryReason(figures[id]);
    if (reason !== null) {
      state[id] = 1;
      reasons.set(id, reason);
    }
  }
  if (reasons.size === 0) return { state, reasons };
  const { totals, starts, members } = groups;
  const groupCount = groups.count;

  // The groups of each cell (a CSR index), so a new suppression re-examines just its groups.
  const degree = new Int32Array(cellCount + 1);
  for (let g = 0; g < groupCount; g++) {
    for (let m = starts[g]; m < starts[g + 1]; m++) degree[members[m] + 1]++;
    if (totals[g] >= 0) degree[totals[g] + 1]++;
  }
  for (let id = 0; id < cellCount; id++) degree[id + 1] += degree[id];
  const groupsOfCell = new Int32Array(degree[cellCount]);
  const fill = degree.slice(0, cellCount);
  for (let g = 0; g < groupCount; g++) {
    for (let m = starts[g]; m < starts[g + 1]; m++) groupsOfCell[fill[members[m]]++] = g;
    if (totals[g] >= 0) groupsOfCell[fill[totals[g]]++] = g;
  }

  // A work queue of groups to (re)examine; `queued` keeps each in it at most once.
  const queue: number[] = [];
  const queued = new Uint8Array(groupCount);
  const enqueueGroupsOf = (id: number) => {
    for (let i = degree[id]; i < degree[id + 1]; i++) {
      const g = groupsOfCell[i];
      if (!queued[g]) {
        queued[g] = 1;
        queue.push(g);
      }
    }
  };
  for (const id of reasons.keys()) enqueueGroupsOf(id);
  for (let head = 0; head < queue.length; head++) {
    const g = queue[head];
    queued[g] = 0;
    const total = totals[g];
    let hidden = total >= 0 && state[total] !== 0 ? 1 : 0;
    for (let m = starts[g]; m < starts[g + 1] && hidden < 2; m++) if (state[members[m]] !== 0) hidden++;
    if (hidden !== 1) continue;
    // The smallest shown part, or with none left, the total.
    let chosen = -1;
    for (let m = starts[g]; m < starts[g + 1]; m++) {
      const id = members[m];
      if (state[id] === 0 && (chosen < 0 || smaller(id, chosen, figures, keyOf))) chosen = id;
    }
    if (chosen < 0 && total >= 0 && state[total] === 0) chosen = total;
    if (chosen < 0) continue;
    state[chosen] = 2;
    enqueueGroupsOf(chosen);
  }
  return { state, reasons };
}

/** Whether cell a costs the reader less to lose than b: the smaller numerator, then denominator, then key (so the choice is stable). */
function smaller(a: number, b: number, figures: readonly CellFigures[], keyOf: (id: number) => string): boolean {
  const fa = figures[a];
  const fb = figures[b];
  if (fa.numerator !== fb.numerator) return fa.numerator < fb.numerator;
  const da = fa.denominator ?? 0;
  const db = fb.denominator ?? 0;
  if (da !== db) return da < db;
  return keyOf(a) < keyOf(b);
}
