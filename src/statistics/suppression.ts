/**
 * Statistical disclosure control for public and board-level figures, following NHS Mental
 * Health Services Data Set (MHSDS) publication practice:
 *
 *  - a count under `minCount` (5) is suppressed (shown as "*"); every other count is rounded
 *    to the nearest `roundTo` (5);
 *  - a proportion is suppressed when its numerator is under `minCount` or its denominator
 *    under `minDenominator`;
 *  - a restrictive-intervention rate is suppressed when the interventions are under 5 or
 *    the bed days under 100 (the "people under 5" condition belongs to the separate
 *    people-count measure, which is a COUNT and is suppressed on its own);
 *  - a mean is suppressed when it rests on fewer than `minDenominator` responses (11 for a
 *    staff survey, as the NHS Staff Survey publishes).
 *
 * The rule belongs to the measure (Measure.disclosure); `defaultDisclosureRule` gives the
 * default by audience and scoring type. Policy decisions (documented because they are choices):
 *  - ZERO IS SUPPRESSED. "Under 5" makes no exception for 0, and showing 0 while hiding
 *    1–4 would turn every "*" into "at least one person", which is itself a disclosure.
 *  - A VALUE IS COMPUTED FROM THE SHOWN (ROUNDED) COMPONENTS. An exact ratio beside rounded
 *    components identifies them (40/55 shown with 0.70909 can only be 39/55), so for a
 *    PROPORTION and a RATE the value shown is numerator ÷ denominator of the rounded figures:
 *    it says nothing the components do not. For a MEAN the sum of scores is not shown at all
 *    (with the mean and a rounded sum, the number of responses could be worked back), the
 *    number of responses is rounded and the mean is shown to one decimal place.
 *  - Rounding is to the nearest multiple, halves away from zero (12.5 → 15).
 *  - A reason never contains the true figure, only the threshold it fell below.
 *  - Suppress after pooling: disclose the pooled organisation's figure; never add up
 *    rounded or suppressed team figures. Secondary suppression (a parent minus its other
 *    children, a quarter minus its other months) is cell-suppression.ts, over the whole table.
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

/** A measure's small-number rule: figures shown as they are (NONE), or suppressed and rounded. */
export type DisclosureRule = { kind: 'NONE' } | ({ kind: 'SMALL_NUMBERS' } & Required<SuppressionRule>);

export type Audience = 'PATIENTS' | 'STAFF';

/** Staff survey results are not reported for fewer than 11 respondents (NHS Staff Survey practice). */
export const STAFF_SURVEY_MIN_RESPONDENTS = 11;

/**
 * The default rule: patient measures follow MHSDS (5, round to 5, 100 bed days for a rate);
 * a staff MEAN is a survey score (at least 11 respondents, no rounding); other staff measures
 * are operational counts (training, attendance) and need no suppression.
 */
export function defaultDisclosureRule(audience: Audience, scoringType: ScoringType): DisclosureRule {
  if (audience === 'STAFF') {
    return scoringType === 'MEAN' ? { kind: 'SMALL_NUMBERS', minCount: 0, roundTo: 0, minDenominator: STAFF_SURVEY_MIN_RESPONDENTS } : { kind: 'NONE' };
  }
  return { kind: 'SMALL_NUMBERS', ...resolveRule(scoringType, undefined) };
}

/** The rule in words, for a reader ("Counts under 5 are suppressed and counts rounded to the nearest 5; ..."). */
export function describeRule(scoringType: ScoringType, rule: DisclosureRule): string {
  if (rule.kind === 'NONE') return 'Figures are shown as recorded: this measure needs no small-number suppression.';
  const parts: string[] = [];
  const denominator = scoringType === 'RATE' ? 'the exposure (e.g. bed days)' : scoringType === 'MEAN' ? 'the number of responses' : 'the denominator';
  if (scoringType !== 'MEAN' && rule.minCount > 0) parts.push(`a ${scoringType === 'COUNT' ? 'count' : 'numerator'} under ${rule.minCount} is suppressed`);
  if (scoringType !== 'COUNT' && rule.minDenominator > 0) parts.push(`a figure whose ${denominator} is under ${rule.minDenominator} is suppressed`);
  if (rule.roundTo > 0) parts.push(`counts shown are rounded to the nearest ${rule.roundTo}`);
  parts.push('a figure that would let a suppressed one be worked out by subtraction is suppressed too');
  const text = parts.join('; ');
  return `${text[0].toUpperCase()}${text.slice(1)}.`;
}

export type Disclosed =
  | { suppressed: false; value: number | null; numerator: number | null; denominator: number | null }
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
function reasonUnder(scoringType: ScoringType, pooled: PooledComponents, rule: ResolvedRule): string | null {
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

/** Why a pooled figure fails the rule (primary suppression), or null when it may be shown. */
export function suppressionReason(scoringType: ScoringType, pooled: PooledComponents, rule: DisclosureRule): string | null {
  return rule.kind === 'NONE' ? null : reasonUnder(scoringType, pooled, resolveRule(scoringType, rule));
}

/**
 * The figures a reader under disclosure control sees of a figure that is not suppressed:
 * components rounded, the value computed from them (a MEAN: no sum, n rounded, mean to 0.1).
 */
export function shownFigures(
  scoringType: ScoringType,
  pooled: PooledComponents,
  multiplier: number | null | undefined,
  rule: DisclosureRule,
): { value: number | null; numerator: number | null; denominator: number | null } {
  if (rule.kind === 'NONE') {
    return { value: valueOf(scoringType, pooled, multiplier), numerator: pooled.numerator, denominator: pooled.denominator };
  }
  const numerator = roundToNearest(pooled.numerator, rule.roundTo);
  if (scoringType === 'COUNT') return { value: numerator, numerator, denominator: null };
  const denominator = pooled.denominator === null ? null : roundToNearest(pooled.denominator, rule.roundTo);
  if (scoringType === 'MEAN') {
    const mean = valueOf('MEAN', pooled, multiplier);
    return { value: mean === null ? null : Math.round(mean * 10) / 10, numerator: null, denominator };
  }
  return { value: valueOf(scoringType, { numerator, denominator }, multiplier), numerator, denominator };
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
  rule?: Partial<SuppressionRule> | DisclosureRule,
): Disclosed {
  const resolved: DisclosureRule = rule && 'kind' in rule ? rule : { kind: 'SMALL_NUMBERS', ...resolveRule(scoringType, rule) };
  const reason = suppressionReason(scoringType, pooled, resolved);
  if (reason !== null) return suppressed(reason);
  return { suppressed: false, ...shownFigures(scoringType, pooled, multiplier, resolved) };
}
