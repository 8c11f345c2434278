/**
 * Disparity between a stratum and a reference stratum over a window: the relative risk for a
 * PROPORTION (share of people with the outcome) and the rate ratio for a RATE (events per
 * exposure, e.g. restraints per bed day), each with a 95% confidence interval by the log
 * method (Katz for the relative risk; the Poisson approximation for the rate ratio):
 *   relative risk  RR = (a/n1)/(c/n2),  SE(ln RR) = sqrt(1/a − 1/n1 + 1/c − 1/n2)
 *   rate ratio     RR = (a/t1)/(c/t2),  SE(ln RR) = sqrt(1/a + 1/c)
 *   interval       exp(ln RR ± 1.96 SE)
 * Zero events in either stratum: the log method has no interval (ln 0), and a ratio of 0 or
 * of infinity says nothing a board can act on, so no ratio is given, with the reason in words.
 * A COUNT has no exposure and a MEAN no events: no ratio for them either.
 * Pure: no I/O.
 */
import type { ScoringType } from './scoring';

/** The 97.5th percentile of the standard normal distribution. */
const Z_975 = 1.959963984540054;

export interface StratumComponents {
  /** events (RATE) or people with the outcome (PROPORTION) */
  numerator: number;
  /** exposure (RATE) or people (PROPORTION) */
  denominator: number;
}

export type Disparity =
  | { value: number; lower: number; upper: number; /** the interval excludes 1 */ significant: boolean }
  | { value: null; lower: null; upper: null; significant: false; reason: string };

const none = (reason: string): Disparity => ({ value: null, lower: null, upper: null, significant: false, reason });

export function disparity(scoringType: ScoringType, stratum: StratumComponents, reference: StratumComponents): Disparity {
  if (scoringType !== 'PROPORTION' && scoringType !== 'RATE') {
    return none(`A ${scoringType} has no ratio between strata: only proportions (relative risk) and rates (rate ratio) do`);
  }
  const { numerator: a, denominator: n1 } = stratum;
  const { numerator: c, denominator: n2 } = reference;
  if (!(n1 > 0) || !(n2 > 0)) return none('A stratum with no people or no exposure has no ratio');
  if (a === 0 || c === 0) return none(`No ${a === 0 ? 'events in the stratum' : 'events in the reference stratum'}: the log method gives no interval, so no ratio is shown`);
  const ratio = a / n1 / (c / n2);
  const variance = scoringType === 'PROPORTION' ? 1 / a - 1 / n1 + 1 / c - 1 / n2 : 1 / a + 1 / c;
  const spread = Z_975 * Math.sqrt(Math.max(variance, 0));
  const lower = Math.exp(Math.log(ratio) - spread);
  const upper = Math.exp(Math.log(ratio) + spread);
  return { value: ratio, lower, upper, significant: lower > 1 || upper < 1 };
}
