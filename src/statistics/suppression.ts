/**
 * Statistical disclosure control for public and board-level figures, following NHS Mental
 * Health Services Data Set (MHSDS) publication practice as we understand it:
 *
 *  - a count under 5 is suppressed (shown as "*"); every other count is rounded to the
 *    nearest 5;
 *  - a proportion is suppressed when its numerator or its denominator is under 5;
 *    otherwise its value is computed from the UNROUNDED figures, while the numerator and
 *    denominator shown beside it are rounded to the nearest 5 (so 100/112 shows as
 *    100/110 with value 0.892857…, not 100/110 = 0.909…);
 *  - a restrictive-intervention rate is suppressed when the interventions are under 5 or
 *    the bed days under 100 (the "people under 5" condition belongs to the separate
 *    people-count measure, which is a COUNT and is suppressed on its own);
 *  - a mean is suppressed when it rests on fewer than 5 responses.
 *
 * Policy decisions (documented because they are choices):
 *  - ZERO IS SUPPRESSED. "Under 5" makes no exception for 0, and showing 0 while hiding
 *    1–4 would turn every "*" into "at least one person", which is itself a disclosure.
 *  - Every component shown is rounded the same way (for a MEAN, both the sum of scores and
 *    the number of responses; for a RATE, both events and exposure), but `value` is always
 *    computed from the unrounded pooled figures. Consumers must display `value`, never
 *    recompute it from the rounded components.
 *  - Rounding is to the nearest multiple, halves away from zero (12.5 → 15). Whole counts
 *    never sit on a half with roundTo 5 (12 → 10, 13 → 15); halves arise only for fractional
 *    sums, such as MEAN sums of CARE totals.
 *  - A reason never contains the true figure, only the threshold it fell below.
 *  - Suppress after pooling: disclose the pooled organisation's figure; never add up
 *    rounded or suppressed team figures. Secondary suppression (recovering a team's figure
 *    by subtracting its siblings from the parent) is not handled here and is the caller's
 *    concern when several levels are shown side by side.
 *  - People with the right role see their own team's true figures: they simply do not go
 *    through this function.
 */

import type { PooledComponents } from './pooling';
import { valueOf, type ScoringType } from './scoring';

export interface SuppressionRule {
  /** Smallest count shown (default 5); below it the figure is suppressed. */
  minCount: number;
  /** Counts shown are rounded to the nearest multiple of this (default 5); 0 disables rounding. */
  roundTo: number;
  /**
   * Smallest denominator shown. Defaults to 100 for a RATE (bed days) and to `minCount`
   * for a PROPORTION or a MEAN (people or responses). Ignored for a COUNT.
   */
  minDenominator?: number;
}

export type Disclosed =
  | { suppressed: false; value: number | null; numerator: number; denominator: number | null }
  | { suppressed: true; reason: string; value: null; numerator: null; denominator: null };

/** What a suppressed figure is displayed as. */
export const SUPPRESSION_MARK = '*';

export const DEFAULT_SUPPRESSION_RULE: Readonly<SuppressionRule> = { minCount: 5, roundTo: 5 };

/** MHSDS restraint rates are not published on fewer than 100 occupied bed days. */
export const DEFAULT_RATE_MIN_DENOMINATOR = 100;

type ResolvedRule = Required<SuppressionRule>;

function assertNonNegativeFinite(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`Suppression rule ${name} must be a finite number ≥ 0, got ${String(value)}.`);
  }
}

function resolveRule(scoringType: ScoringType, rule: Partial<SuppressionRule> | undefined): ResolvedRule {
  const minCount = rule?.minCount ?? DEFAULT_SUPPRESSION_RULE.minCount;
  const roundTo = rule?.roundTo ?? DEFAULT_SUPPRESSION_RULE.roundTo;
  const minDenominator =
    rule?.minDenominator ?? (scoringType === 'RATE' ? DEFAULT_RATE_MIN_DENOMINATOR : minCount);
  assertNonNegativeFinite('minCount', minCount);
  assertNonNegativeFinite('roundTo', roundTo);
  assertNonNegativeFinite('minDenominator', minDenominator);
  return { minCount, roundTo, minDenominator };
}

/**
 * Rounds to the nearest multiple of `step`, halves away from zero; step 0 leaves the value
 * as it is. `+ 0` turns a -0 into 0 so that a rounded figure never prints as "-0".
 */
export function roundToNearest(value: number, step: number): number {
  if (step === 0) return value;
  return Math.sign(value) * Math.round(Math.abs(value) / step) * step + 0;
}

function suppressed(reason: string): Disclosed {
  return { suppressed: true, reason, value: null, numerator: null, denominator: null };
}

/** The first reason this pooled figure must not be shown, or null when it may be shown. */
function suppressionReason(scoringType: ScoringType, pooled: PooledComponents, rule: ResolvedRule): string | null {
  const { numerator, denominator } = pooled;
  if (!Number.isFinite(numerator)) return 'Suppressed: there is no valid figure to show.';

  if (scoringType === 'COUNT') {
    return numerator < rule.minCount ? `Suppressed: the count is under ${rule.minCount}.` : null;
  }
  if (denominator === null || !Number.isFinite(denominator)) {
    return 'Suppressed: there is no valid denominator to show.';
  }
  switch (scoringType) {
    case 'PROPORTION':
      if (numerator < rule.minCount) return `Suppressed: the numerator is under ${rule.minCount}.`;
      if (denominator < rule.minDenominator) return `Suppressed: the denominator is under ${rule.minDenominator}.`;
      return null;
    case 'RATE':
      if (numerator < rule.minCount) return `Suppressed: fewer than ${rule.minCount} events.`;
      if (denominator < rule.minDenominator) {
        return `Suppressed: the exposure (e.g. occupied bed days) is under ${rule.minDenominator}.`;
      }
      return null;
    case 'MEAN':
      // The sum of scores is not a count of people; the number of responses is.
      return denominator < rule.minDenominator ? `Suppressed: fewer than ${rule.minDenominator} responses.` : null;
  }
}

/**
 * The publishable form of a pooled figure: either suppressed, or shown with its components
 * rounded and its value computed from the unrounded components (for a COUNT, the value is
 * the rounded count). See the module comment for the policy.
 */
export function disclose(
  scoringType: ScoringType,
  pooled: PooledComponents,
  multiplier?: number | null,
  rule?: Partial<SuppressionRule>,
): Disclosed {
  const resolved = resolveRule(scoringType, rule);
  const reason = suppressionReason(scoringType, pooled, resolved);
  if (reason !== null) return suppressed(reason);

  const numerator = roundToNearest(pooled.numerator, resolved.roundTo);
  if (scoringType === 'COUNT') {
    return { suppressed: false, value: numerator, numerator, denominator: null };
  }
  const denominator = pooled.denominator === null ? null : roundToNearest(pooled.denominator, resolved.roundTo);
  const value = valueOf(scoringType, { numerator: pooled.numerator, denominator: pooled.denominator }, multiplier);
  return { suppressed: false, value, numerator, denominator };
}
