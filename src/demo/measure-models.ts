/**
 * The models that produce each catalogue measure's numbers, by measure code: what a unit's
 * month looks like given its kind, its workstreams and its simulated state (unit-state.ts).
 * The definitions themselves are data (data/measures.json); measures.ts pairs the two.
 *
 * Each model draws from the series' own seeded generator, in a fixed order: changing a draw
 * here changes every later number of that series.
 */
import { scoreCareQuestionnaire, type CareAnswer, type Components } from '../statistics/scoring';
import { clamp, ramp } from './calendar';
import type { FrontlineUnit } from './organisation';
import type { Random } from './random';
import type { UnitState } from './unit-state';

/** Everything a measure's model may read for one unit. */
export interface SeriesContext {
  unit: FrontlineUnit;
  rng: Random;
  /** this unit's persistent difference from the others for this measure, ~N(0, 1) */
  effect: number;
  state: UnitState;
  months: number;
  /** month index at which the unit joined a workstream, or null when it takes no part */
  joined(workstreamCode: string): number | null;
  /** month index of a period relative to the end (rel(-18) etc.) */
  at(relative: number): number;
}

export type Model = (ctx: SeriesContext, t: number) => Components | null;

const isWard = (u: FrontlineUnit) => u.type === 'WARD';
const proportion = (rng: Random, denominator: number, p: number): Components | null =>
  denominator > 0 ? { numerator: rng.binomial(denominator, clamp(p, 0.01, 0.99)), denominator } : null;

/** Scores n simulated CARE questionnaires (10 items, "does not apply" allowed) with the real scorer. */
function careQuestionnaires(rng: Random, n: number, itemMean: number): Components | null {
  let sum = 0;
  let scored = 0;
  for (let q = 0; q < n; q += 1) {
    const person = rng.normal(0, 0.45);
    const answers: CareAnswer[] = [];
    for (let i = 0; i < 10; i += 1) {
      answers.push(rng.chance(0.06) ? null : (clamp(Math.round(rng.normal(itemMean + person, 0.7)), 1, 5) as CareAnswer));
    }
    const score = scoreCareQuestionnaire(answers);
    if ('total' in score) {
      sum += score.total;
      scored += 1;
    }
  }
  // Totals with imputed items are fractional (e.g. 34.444…); keep them exact to 6 places.
  return scored > 0 ? { numerator: Math.round(sum * 1e6) / 1e6, denominator: scored } : null;
}

export const MODELS: Record<string, Model> = {
  'CARE-MEAN': (c, t) => {
    const n = c.rng.poisson(isWard(c.unit) ? Math.min(6, c.unit.beds * 0.5) : c.unit.kind === 'STREET_TRIAGE' ? 3 : 9);
    const trainedShare = c.state.trained[t] / c.state.staff[t];
    return careQuestionnaires(c.rng, n, 3.55 + 0.12 * c.effect + 0.55 * trainedShare);
  },
  'CONTINUITY-OF-CARE': (c, t) => {
    const k = c.unit.kind;
    const lambda = k === 'HOME_TREATMENT' ? 28 : k === 'CMHT' ? 14 : k === 'COMPLEX_EMOTIONAL' ? 6 : 4;
    const base = k === 'HOME_TREATMENT' ? 0.35 : k === 'OPEN_DIALOGUE' ? 0.85 : 0.6;
    const j = c.joined('WHOLE-PATHWAY');
    const lift = j === null ? 0 : 0.15 * ramp(t, j, 12);
    return proportion(c.rng, c.rng.poisson(lambda), base + 0.05 * c.effect + lift);
  },
  'FEEDBACK-SOUGHT': (c, t) => {
    const den = isWard(c.unit) ? c.state.occupied[t] : c.unit.kind === 'STREET_TRIAGE' ? c.rng.int(4, 8) : c.rng.int(10, 20);
    const j = c.joined('CULTURE-OF-CARE') ?? c.joined('AMH-CLINICAL-STRATEGY');
    const lift = j === null ? 0.05 * ramp(t, 0, c.months) : 0.22 * ramp(t, j, 18);
    return proportion(c.rng, den, 0.62 + 0.06 * c.effect + lift);
  },
  'YOU-SAID-WE-DID': (c, t) => {
    const j = c.joined('CULTURE-OF-CARE') ?? c.joined('CLOSED-CULTURES') ?? c.joined('AMH-CLINICAL-STRATEGY');
    const lambda = (0.8 + (j === null ? 0 : 1.6 * ramp(t, j, 12))) * Math.exp(0.2 * c.effect);
    return { numerator: c.rng.poisson(lambda), denominator: null };
  },
  'RESTRICTIVE-RATE': (c, t) => ({ numerator: c.state.restrictive[t], denominator: c.state.bedDays[t] }),
  'RESTRICTIVE-PEOPLE': (c, t) => ({ numerator: c.state.restrictivePeople[t], denominator: null }),
  'SECLUSION-RATE': (c, t) => ({ numerator: c.state.seclusion[t], denominator: c.state.bedDays[t] }),
  'RAPID-TRANQ-RATE': (c, t) => ({ numerator: c.state.rapidTranq[t], denominator: c.state.bedDays[t] }),
  'FEELING-SAFE': (c, t) => {
    const p =
      0.7 +
      0.05 * c.effect +
      (c.unit.kind === 'PICU' ? -0.08 : 0) +
      (c.unit.pattern === 'FALL' && t >= c.at(-18) ? 0.12 : 0) +
      (c.unit.pattern === 'RISE' && t >= c.at(-8) ? -0.1 : 0);
    return proportion(c.rng, c.rng.poisson(c.state.occupied[t] * 0.5), p);
  },
  'CO-PRODUCED-CARE-PLANS': (c, t) => {
    const den = isWard(c.unit) ? Math.min(c.state.occupied[t], c.rng.int(5, 10)) : c.rng.int(8, 15);
    return proportion(c.rng, den, 0.5 + 0.07 * c.effect + 0.15 * ramp(t, 0, c.months));
  },
  'OD-NETWORK-MEETINGS': (c, t) => {
    if (c.unit.kind === 'OPEN_DIALOGUE') return { numerator: c.rng.poisson(16 + 14 * ramp(t, c.at(-28), 18)), denominator: null };
    const j = c.joined('OPEN-DIALOGUE');
    // A team records network meetings only once it has joined: before that the month is missing, not zero.
    return j !== null && t >= c.at(-12) ? { numerator: c.rng.poisson(5), denominator: null } : null;
  },
  'OD-FIDELITY': (c, t) => {
    const od = c.unit.kind === 'OPEN_DIALOGUE';
    if (!od && t < c.at(-12)) return null;
    const n = od ? c.rng.int(2, 5) : c.rng.int(0, 2);
    if (n === 0) return null;
    const p = (od ? 0.66 : 0.55) + 0.03 * c.effect + 0.12 * ramp(t, od ? c.at(-28) : c.at(-12), 18);
    let sum = 0;
    for (let i = 0; i < n; i += 1) sum += c.rng.binomial(12, clamp(p, 0.05, 0.98));
    return { numerator: sum, denominator: n };
  },
  'COMPLAINTS-ATTITUDE': (c, t) => {
    const j = c.joined('CULTURE-OF-CARE') ?? c.joined('CLOSED-CULTURES');
    const lambda = (isWard(c.unit) ? 0.8 : 0.5) * Math.exp(0.3 * c.effect) * (j === null ? 1 : 1 - 0.35 * ramp(t, j, 18));
    return { numerator: c.rng.poisson(lambda), denominator: null };
  },
  'STAFF-CARE-TRAINED': (c, t) => ({ numerator: c.state.trained[t], denominator: c.state.staff[t] }),
  'REFLECTIVE-PRACTICE': (c, t) => {
    const j = c.joined('REFLECTIVE-PRACTICE-PILOT');
    const p = 0.4 + 0.06 * c.effect + 0.1 * ramp(t, 0, c.months) + (j === null ? 0 : 0.25 * ramp(t, j, 6));
    return proportion(c.rng, c.state.staff[t], p);
  },
  'PSYCH-SAFETY': (c, t) => {
    const respondents = c.rng.binomial(c.state.staff[t], 0.3);
    if (respondents === 0) return null;
    const mu = 4.8 + 0.2 * c.effect + 0.7 * (c.state.trained[t] / c.state.staff[t]);
    let items = 0;
    for (let r = 0; r < respondents; r += 1) {
      const person = c.rng.normal(0, 0.6);
      for (let i = 0; i < 7; i += 1) items += clamp(Math.round(c.rng.normal(mu + person, 0.9)), 1, 7);
    }
    return { numerator: Math.round((items / 7) * 1e6) / 1e6, denominator: respondents };
  },
  'RECRUIT-INTERPERSONAL': (c, t) => {
    // Most teams have no starter in most months: those months are missing, not 0%.
    const starters = c.rng.poisson(c.state.staff[t] * 0.025);
    const crisis = c.unit.kind === 'HOME_TREATMENT' || c.unit.kind === 'CRISIS_HUB' ? 0.1 : 0;
    return proportion(c.rng, starters, 0.45 + crisis + 0.4 * ramp(t, c.at(-20), 12));
  },
  'COMPETENCE-ASSESSED': (c, t) => {
    const j = c.joined('CULTURE-OF-CARE');
    const p = 0.15 + 0.05 * c.effect + (j === null ? 0.2 * ramp(t, 0, c.months) : 0.55 * ramp(t, j, 24));
    return proportion(c.rng, c.state.staff[t], p);
  },
  'CORE-ITEM-22': (c, t) => {
    // A monthly self-review, sometimes with an external peer review as well.
    const reviews = 1 + (c.rng.chance(0.3) ? 1 : 0);
    const j = c.joined('CRISIS-SERVICES');
    const p = 0.5 + 0.05 * c.effect + (j === null ? 0 : 0.3 * ramp(t, j, 18));
    let met = 0;
    for (let r = 0; r < reviews; r += 1) met += c.rng.binomial(4, clamp(p, 0.05, 0.95));
    return { numerator: met, denominator: reviews };
  },
  'STAFF-RECOMMEND': (c, t) => {
    const respondents = c.rng.binomial(c.state.staff[t], 0.3);
    return proportion(c.rng, respondents, 0.55 + 0.05 * c.effect + 0.12 * (c.state.trained[t] / c.state.staff[t]));
  },
  'CARE-COMPLETIONS': (c, t) => ({ numerator: c.state.completions[t], denominator: null }),
  'PEER-SUPPORT-OFFERED': (c, t) => {
    const k = c.unit.kind;
    const lambda = k === 'REHAB_WARD' ? 0.6 : isWard(c.unit) ? c.unit.beds * 0.9 : k === 'HOME_TREATMENT' ? 35 : k === 'CMHT' ? 20 : k === 'CRISIS_HUB' ? 60 : 6;
    const j = c.joined('OPEN-DIALOGUE') ?? c.joined('AMH-CLINICAL-STRATEGY');
    const p = (k === 'OPEN_DIALOGUE' ? 0.75 : 0.25) + 0.05 * c.effect + (j === null ? 0.05 * ramp(t, 0, c.months) : 0.25 * ramp(t, j, 18));
    return proportion(c.rng, c.rng.poisson(lambda), p);
  },
};
