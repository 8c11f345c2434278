/**
 * Stratified demonstration data (the equality lens). FICTIONAL: the shares and the disparity
 * below are invented to show what the lens does; they are not any trust's figures, nor a
 * claim about any real population.
 *
 * Each whole-population ward row of a stratified measure is split exactly into its strata
 * (the strata add up to the whole, as the API insists):
 *  - the exposure (occupied bed days) by each stratum's share of the ward's patients, by
 *    largest remainder, so the shares sum to the whole to the day;
 *  - the events by a multinomial draw, each stratum weighted by its share × its relative rate.
 * The fictional disparity: Black patients are restrained about 3.5 times as often per bed day
 * as White British patients, Mixed White and Black patients about twice; men, the young and
 * detained patients more often. On the wards of the first inpatient directorate, once they join
 * the reducing-restrictive-practice workstream, the Black groups' ratio falls to about 1.5
 * over the following year (in the demo, the trust's one inpatient directorate: the gap narrows
 * over time; in the benchmark data, one of two directorates narrows while the other does not). Small wards give small
 * strata (the disclosure layer's work), and a few per cent of patients are "not known".
 */
import type { Components } from '../statistics/scoring';
import type { Random } from './random';

type Weights = Record<string, { share: number; relativeRate: number }>;
const w = (share: number, relativeRate = 1) => ({ share, relativeRate });

const ETHNICITY: Weights = {
  A: w(0.6), B: w(0.02), C: w(0.07),
  D: w(0.015, 2), E: w(0.01, 2), F: w(0.01, 1.2), G: w(0.01, 1.5),
  H: w(0.03, 0.9), J: w(0.03, 0.9), K: w(0.01, 0.9), L: w(0.015, 1),
  M: w(0.04, 3.5), N: w(0.045, 3.5), P: w(0.015, 3.5),
  R: w(0.005, 0.8), S: w(0.02, 1.2), Z: w(0.02), '99': w(0.035),
};
const SEX: Weights = { '1': w(0.55, 1.3), '2': w(0.44), '9': w(0.002), X: w(0.008) };
const AGE_BAND: Weights = {
  '18-24': w(0.15, 1.6), '25-34': w(0.25, 1.3), '35-44': w(0.22), '45-54': w(0.17, 0.8), '55-64': w(0.12, 0.6), '65+': w(0.07, 0.4), UNKNOWN: w(0.02),
};
const LEGAL_STATUS: Weights = { DETAINED: w(0.7, 2.5), INFORMAL: w(0.28), UNKNOWN: w(0.02) };
const WEIGHTS: Record<string, Weights> = { ETHNICITY, SEX, AGE_BAND, LEGAL_STATUS };
const BLACK_CODES = new Set(['M', 'N', 'P']);

/** The demo's stratified measures and the stratifiers each is reported by. */
export const STRATIFIED_MEASURES: Readonly<Record<string, readonly string[]>> = {
  'RESTRICTIVE-RATE': ['ETHNICITY', 'SEX', 'AGE_BAND', 'LEGAL_STATUS'],
  'RESTRICTIVE-PEOPLE': ['ETHNICITY', 'LEGAL_STATUS'],
  'SECLUSION-RATE': ['ETHNICITY', 'LEGAL_STATUS'],
  'RAPID-TRANQ-RATE': ['ETHNICITY', 'SEX'],
};

export interface StratumComponents extends Components {
  stratifier: string;
  code: string;
}

/**
 * A whole row's strata, for each of its measure's stratifiers. `narrowing` is 0 before the
 * ward's restrictive-practice work and rises to 1 a year after it starts.
 */
export function splitIntoStrata(stratifiers: readonly string[], whole: Components, rng: Random, narrowing: number): StratumComponents[] {
  const out: StratumComponents[] = [];
  for (const stratifier of stratifiers) {
    const weights = WEIGHTS[stratifier];
    const codes = Object.keys(weights);
    const rate = (code: string) =>
      stratifier === 'ETHNICITY' && BLACK_CODES.has(code) ? weights[code].relativeRate - (weights[code].relativeRate - 1.5) * narrowing : weights[code].relativeRate;
    const exposure = whole.denominator === null ? null : apportion(whole.denominator, codes.map((c) => weights[c].share));
    const events = multinomial(whole.numerator, codes.map((c) => weights[c].share * rate(c)), rng);
    codes.forEach((code, i) => {
      const denominator = exposure === null ? null : exposure[i];
      // A rate's stratum is sent with its exposure even without events; a count's only when it has some.
      if (denominator === null ? events[i] === 0 : denominator === 0) return;
      out.push({ stratifier, code, numerator: events[i], denominator });
    });
  }
  return out;
}

/** Splits a whole number by shares, largest remainder first, so the parts add up exactly. */
function apportion(total: number, shares: readonly number[]): number[] {
  const sum = shares.reduce((a, b) => a + b, 0);
  const exact = shares.map((s) => (total * s) / sum);
  if (!Number.isInteger(total)) return exact.map((x, i) => (i === exact.length - 1 ? total - exact.slice(0, -1).reduce((a, b) => a + b, 0) : x));
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left -= 1) parts[order[k][1]] += 1;
  return parts;
}

/** n events into categories with the given weights (sequential binomials: the parts add up to n). */
function multinomial(n: number, weights: readonly number[], rng: Random): number[] {
  const parts = weights.map(() => 0);
  let remaining = Math.round(n);
  let mass = weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length && remaining > 0; i += 1) {
    if (i === weights.length - 1 || mass <= 0) {
      parts[i] = remaining;
      break;
    }
    const k = rng.binomial(remaining, Math.min(1, weights[i] / mass));
    parts[i] = k;
    remaining -= k;
    mass -= weights[i];
  }
  return parts;
}
