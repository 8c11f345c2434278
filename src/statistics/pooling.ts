/**
 * Exact pooling of observations: a directorate's proportion is Σnumerators ÷ Σdenominators
 * of its teams, never the average of the teams' percentages (which weights a team of 2
 * the same as a team of 100). The same holds for rates and means. Pure functions.
 */

import type { Components, ScoringType } from './scoring';

/** Summed components and how many observations went into them. */
export interface PooledComponents {
  numerator: number;
  denominator: number | null;
  /** Number of observations pooled (e.g. team-months). */
  contributors: number;
}

/**
 * Refuses components that cannot be pooled rather than skipping them, because a row dropped
 * silently (or a missing denominator read as 0) would change the answer without anyone knowing.
 */
export function assertPoolable(scoringType: ScoringType, item: Components, index: number): void {
  if (!Number.isFinite(item.numerator)) {
    throw new RangeError(`Cannot pool item ${index}: numerator ${String(item.numerator)} is not a finite number.`);
  }
  if (scoringType === 'COUNT') return;
  if (item.denominator === null || !Number.isFinite(item.denominator)) {
    throw new RangeError(
      `Cannot pool item ${index}: a ${scoringType} needs a finite denominator, got ${String(item.denominator)}.`,
    );
  }
}

/**
 * Pools observations of one measure. Returns null for no items: no data is not a zero.
 * COUNT sums numerators and has no denominator; the other types sum both components.
 * Items are expected to have passed validateComponents; malformed ones throw a RangeError.
 */
export function poolComponents(scoringType: ScoringType, items: readonly Components[]): PooledComponents | null {
  if (items.length === 0) return null;
  items.forEach((item, index) => assertPoolable(scoringType, item, index));

  const numerator = items.reduce((sum, item) => sum + item.numerator, 0);
  const denominator =
    scoringType === 'COUNT' ? null : items.reduce((sum, item) => sum + (item.denominator as number), 0);
  return { numerator, denominator, contributors: items.length };
}
