/**
 * The demonstration (and benchmark) dataset: a fictional trust, its faculty's workstreams and
 * measures, and three years of monthly observations. PURE: no I/O, so it can be tested
 * without a database and rebuilt identically from a seed. load-dataset.ts writes it.
 *
 * The content is modelled on the seed documents (the 4Rs and the faculty's workstreams in
 * seed 004, the CARE course in 000, CORE fidelity item 22 in 002, the inpatient competences
 * in 003) and is clearly fictional: trust code RZZ, names invented.
 *
 * Observations are produced by a generator function so that the benchmark size (hundreds of
 * thousands of rows) never sits in memory; every call restarts from the seed and yields the
 * same rows in the same order.
 */
import type { ScoringType } from '../generated/prisma/enums';
import { addMonths, monthsBetween } from '../statistics/periods';
import { scoreCareQuestionnaire, type CareAnswer, type Components } from '../statistics/scoring';
import { clamp, monthIndex, ramp } from './calendar';
import { DEMO_SOURCE } from './constants';
import { buildOrganisation, type FrontlineUnit } from './organisation';
import { buildPeople } from './people';
import { createRandom, hashSeed, type Random } from './random';
import type { Dataset, DatasetMeasure, DatasetObservation, DatasetOptions } from './types';
import { simulateUnit, type UnitState } from './unit-state';
import { buildWorkstreams, CARE_TRAINING } from './workstreams';

export {
  BENCH_OPTIONS,
  DATASET_SIZES,
  DEMO_INPATIENT_DIRECTORATE_CODE,
  DEMO_OPTIONS,
  DEMO_SMALL_WARD,
  DEMO_SOURCE,
  DEMO_TRUST_CODE,
  RESTRICTIVE_PRACTICE_MEASURE_CODES,
} from './constants';
export type {
  AppliesTo,
  Dataset,
  DatasetMeasure,
  DatasetObservation,
  DatasetOptions,
  DatasetOrgUnit,
  DatasetPerson,
  DatasetWorkstream,
  UnitKind,
} from './types';

// ---------------------------------------------------------------------------------------
// Measures: definitions and the models that produce their numbers
// ---------------------------------------------------------------------------------------

/** Everything a measure's model may read for one unit. */
interface SeriesContext {
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

type Model = (ctx: SeriesContext, t: number) => Components | null;

interface MeasureSpec extends Omit<DatasetMeasure, 'code'> {
  code: string;
  applies?: (u: FrontlineUnit, ctx: { joined(ws: string): number | null }) => boolean;
  model: Model;
}

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

function measureSpecs(): MeasureSpec[] {
  return [
    {
      code: 'CARE-MEAN',
      name: 'CARE measure: mean score',
      description: 'Consultation and Relational Empathy (CARE) measure, 10 items scored 1–5 (total 10–50); up to two "does not apply" answers replaced by the mean of the others. Mean total = sum of totals ÷ questionnaires.',
      scoringType: 'MEAN',
      improvementDirection: 'INCREASE',
      multiplier: null,
      unit: 'score (10–50)',
      audience: 'PATIENTS',
      numeratorLabel: 'Sum of CARE totals',
      denominatorLabel: 'Questionnaires scored',
      ownerKey: 'care-lead',
      principles: ['RELATIONAL'],
      workstreamCodes: ['CARE-TRAINING', 'CULTURE-OF-CARE'],
      trustTarget: 40,
      appliesTo: 'ALL',
      model: (c, t) => {
        const n = c.rng.poisson(isWard(c.unit) ? Math.min(6, c.unit.beds * 0.5) : c.unit.kind === 'STREET_TRIAGE' ? 3 : 9);
        const trainedShare = c.state.trained[t] / c.state.staff[t];
        return careQuestionnaires(c.rng, n, 3.55 + 0.12 * c.effect + 0.55 * trainedShare);
      },
    },
    {
      code: 'CONTINUITY-OF-CARE',
      name: 'Continuity of care: seen by the same clinician',
      description: 'People discharged this month who saw the same lead clinician throughout their episode of care.',
      scoringType: 'PROPORTION',
      improvementDirection: 'INCREASE',
      multiplier: null,
      unit: 'proportion',
      audience: 'PATIENTS',
      numeratorLabel: 'Discharged people seen by the same clinician throughout',
      denominatorLabel: 'People discharged',
      ownerKey: 'pathway-lead',
      principles: ['RESPONSIVE', 'RELATIONAL'],
      workstreamCodes: ['WHOLE-PATHWAY', 'AMH-CLINICAL-STRATEGY'],
      trustTarget: 0.7,
      appliesTo: 'TEAMS',
      applies: (u) => ['CMHT', 'EIP', 'OPEN_DIALOGUE', 'COMMUNITY_REHAB', 'COMPLEX_EMOTIONAL', 'HOME_TREATMENT'].includes(u.kind),
      model: (c, t) => {
        const k = c.unit.kind;
        const lambda = k === 'HOME_TREATMENT' ? 28 : k === 'CMHT' ? 14 : k === 'COMPLEX_EMOTIONAL' ? 6 : 4;
        const base = k === 'HOME_TREATMENT' ? 0.35 : k === 'OPEN_DIALOGUE' ? 0.85 : 0.6;
        const j = c.joined('WHOLE-PATHWAY');
        const lift = j === null ? 0 : 0.15 * ramp(t, j, 12);
        return proportion(c.rng, c.rng.poisson(lambda), base + 0.05 * c.effect + lift);
      },
    },
    {
      code: 'FEEDBACK-SOUGHT',
      name: 'Feedback sought in the last year',
      description: 'Audited service users asked for feedback on their care (survey or audit) within the last 12 months (CORE fidelity item 22 c).',
      scoringType: 'PROPORTION',
      improvementDirection: 'INCREASE',
      multiplier: null,
      unit: 'proportion',
      audience: 'PATIENTS',
      numeratorLabel: 'Asked for feedback in the last 12 months',
      denominatorLabel: 'Records audited',
      ownerKey: 'quality-lead',
      principles: ['RESPONSIVE'],
      workstreamCodes: ['AMH-CLINICAL-STRATEGY', 'CULTURE-OF-CARE'],
      trustTarget: 0.9,
      appliesTo: 'ALL',
      model: (c, t) => {
        const den = isWard(c.unit) ? c.state.occupied[t] : c.unit.kind === 'STREET_TRIAGE' ? c.rng.int(4, 8) : c.rng.int(10, 20);
        const j = c.joined('CULTURE-OF-CARE') ?? c.joined('AMH-CLINICAL-STRATEGY');
        const lift = j === null ? 0.05 * ramp(t, 0, c.months) : 0.22 * ramp(t, j, 18);
        return proportion(c.rng, den, 0.62 + 0.06 * c.effect + lift);
      },
    },
    {
      code: 'YOU-SAID-WE-DID',
      name: '"You said, we did" actions',
      description: 'Actions taken and reported back in response to service-user feedback, concerns and complaints.',
      scoringType: 'COUNT',
      improvementDirection: 'INCREASE',
      multiplier: null,
      unit: 'actions',
      audience: 'PATIENTS',
      numeratorLabel: 'Actions reported back',
      denominatorLabel: null,
      ownerKey: 'coproduction-lead',
      principles: ['RESPONSIVE'],
      workstreamCodes: ['CULTURE-OF-CARE', 'CLOSED-CULTURES'],
      trustTarget: null,
      appliesTo: 'ALL',
      model: (c, t) => {
        const j = c.joined('CULTURE-OF-CARE') ?? c.joined('CLOSED-CULTURES') ?? c.joined('AMH-CLINICAL-STRATEGY');
        const lambda = (0.8 + (j === null ? 0 : 1.6 * ramp(t, j, 12))) * Math.exp(0.2 * c.effect);
        return { numerator: c.rng.poisson(lambda), denominator: null };
      },
    },
    {
      code: 'RESTRICTIVE-RATE',
      name: 'Restrictive interventions per 1,000 occupied bed days',
      description: 'All restrictive interventions (physical, chemical, mechanical restraint and seclusion) per 1,000 occupied bed days, as NHS MHSDS measure MHS96: interventions ÷ bed days × 1,000.',
      scoringType: 'RATE',
      improvementDirection: 'DECREASE',
      multiplier: 1000,
      unit: 'per 1,000 occupied bed days',
      audience: 'PATIENTS',
      numeratorLabel: 'Restrictive interventions',
      denominatorLabel: 'Occupied bed days',
      ownerKey: 'rrp-lead',
      principles: ['RIGHTS_BASED'],
      workstreamCodes: ['REDUCING-RESTRICTIVE-PRACTICE', 'CULTURE-OF-CARE'],
      trustTarget: 35,
      appliesTo: 'WARDS',
      model: (c, t) => ({ numerator: c.state.restrictive[t], denominator: c.state.bedDays[t] }),
    },
    {
      code: 'RESTRICTIVE-PEOPLE',
      name: 'People subject to a restrictive intervention',
      description: 'Distinct people subject to at least one restrictive intervention in the month (MHSDS).',
      scoringType: 'COUNT',
      improvementDirection: 'DECREASE',
      multiplier: null,
      unit: 'people',
      audience: 'PATIENTS',
      numeratorLabel: 'People subject to restrictive intervention',
      denominatorLabel: null,
      ownerKey: 'rrp-lead',
      principles: ['RIGHTS_BASED'],
      workstreamCodes: ['REDUCING-RESTRICTIVE-PRACTICE'],
      trustTarget: null,
      appliesTo: 'WARDS',
      model: (c, t) => ({ numerator: c.state.restrictivePeople[t], denominator: null }),
    },
    {
      code: 'SECLUSION-RATE',
      name: 'Seclusion episodes per 1,000 occupied bed days',
      description: 'Episodes of seclusion ÷ occupied bed days × 1,000.',
      scoringType: 'RATE',
      improvementDirection: 'DECREASE',
      multiplier: 1000,
      unit: 'per 1,000 occupied bed days',
      audience: 'PATIENTS',
      numeratorLabel: 'Seclusion episodes',
      denominatorLabel: 'Occupied bed days',
      ownerKey: 'rrp-lead',
      principles: ['RIGHTS_BASED'],
      workstreamCodes: ['REDUCING-RESTRICTIVE-PRACTICE', 'CLOSED-CULTURES'],
      trustTarget: null,
      appliesTo: 'WARDS',
      model: (c, t) => ({ numerator: c.state.seclusion[t], denominator: c.state.bedDays[t] }),
    },
    {
      code: 'RAPID-TRANQ-RATE',
      name: 'Rapid tranquillisation per 1,000 occupied bed days',
      description: 'Episodes of rapid tranquillisation ÷ occupied bed days × 1,000.',
      scoringType: 'RATE',
      improvementDirection: 'DECREASE',
      multiplier: 1000,
      unit: 'per 1,000 occupied bed days',
      audience: 'PATIENTS',
      numeratorLabel: 'Rapid tranquillisation episodes',
      denominatorLabel: 'Occupied bed days',
      ownerKey: 'rrp-lead',
      principles: ['RIGHTS_BASED'],
      workstreamCodes: ['REDUCING-RESTRICTIVE-PRACTICE'],
      trustTarget: null,
      appliesTo: 'WARDS',
      model: (c, t) => ({ numerator: c.state.rapidTranq[t], denominator: c.state.bedDays[t] }),
    },
    {
      code: 'FEELING-SAFE',
      name: 'Patients feeling safe on the ward',
      description: 'Inpatients answering "yes, always" or "yes, mostly" to "Do you feel safe on the ward?" in the monthly survey.',
      scoringType: 'PROPORTION',
      improvementDirection: 'INCREASE',
      multiplier: null,
      unit: 'proportion',
      audience: 'PATIENTS',
      numeratorLabel: 'Feel safe',
      denominatorLabel: 'Survey respondents',
      ownerKey: 'enhanced-care-lead',
      principles: ['RIGHTS_BASED', 'RELATIONAL'],
      workstreamCodes: ['ENHANCED-CARE-ENGAGEMENT', 'CULTURE-OF-CARE'],
      trustTarget: 0.85,
      appliesTo: 'WARDS',
      model: (c, t) => {
        const p =
          0.7 +
          0.05 * c.effect +
          (c.unit.kind === 'PICU' ? -0.08 : 0) +
          (c.unit.pattern === 'FALL' && t >= c.at(-18) ? 0.12 : 0) +
          (c.unit.pattern === 'RISE' && t >= c.at(-8) ? -0.1 : 0);
        return proportion(c.rng, c.rng.poisson(c.state.occupied[t] * 0.5), p);
      },
    },
    {
      code: 'CO-PRODUCED-CARE-PLANS',
      name: 'Care plans co-produced with the person',
      description: 'Audited care plans written with the person (their words, signed or agreed by them).',
      scoringType: 'PROPORTION',
      improvementDirection: 'INCREASE',
      multiplier: null,
      unit: 'proportion',
      audience: 'PATIENTS',
      numeratorLabel: 'Care plans co-produced',
      denominatorLabel: 'Care plans audited',
      ownerKey: 'coproduction-lead',
      principles: ['RIGHTS_BASED', 'RELATIONAL'],
      workstreamCodes: ['RISK-FORMULATION', 'AMH-CLINICAL-STRATEGY'],
      trustTarget: 0.75,
      appliesTo: 'ALL',
      model: (c, t) => {
        const den = isWard(c.unit) ? Math.min(c.state.occupied[t], c.rng.int(5, 10)) : c.rng.int(8, 15);
        return proportion(c.rng, den, 0.5 + 0.07 * c.effect + 0.15 * ramp(t, 0, c.months));
      },
    },
    {
      code: 'OD-NETWORK-MEETINGS',
      name: 'Open Dialogue network meetings',
      description: 'Network meetings held with the person and their family, friends and professionals.',
      scoringType: 'COUNT',
      improvementDirection: 'NEITHER',
      multiplier: null,
      unit: 'meetings',
      audience: 'PATIENTS',
      numeratorLabel: 'Network meetings held',
      denominatorLabel: null,
      ownerKey: 'open-dialogue-lead',
      principles: ['RELATIONAL', 'RESPONSIVE'],
      workstreamCodes: ['OPEN-DIALOGUE'],
      trustTarget: null,
      appliesTo: 'TEAMS',
      applies: (u, w) => u.kind === 'OPEN_DIALOGUE' || w.joined('OPEN-DIALOGUE') !== null,
      model: (c, t) => {
        if (c.unit.kind === 'OPEN_DIALOGUE') return { numerator: c.rng.poisson(16 + 14 * ramp(t, c.at(-28), 18)), denominator: null };
        const j = c.joined('OPEN-DIALOGUE');
        // A team records network meetings only once it has joined: before that the month is missing, not zero.
        return j !== null && t >= c.at(-12) ? { numerator: c.rng.poisson(5), denominator: null } : null;
      },
    },
    {
      code: 'OD-FIDELITY',
      name: 'Open Dialogue fidelity: key elements of dialogic practice',
      description: 'Mean number of the twelve key elements of dialogic practice (Olson, Seikkula and Ziedonis) met in rated network meetings.',
      scoringType: 'MEAN',
      improvementDirection: 'INCREASE',
      multiplier: null,
      unit: 'key elements (0–12)',
      audience: 'PATIENTS',
      numeratorLabel: 'Sum of key elements met',
      denominatorLabel: 'Network meetings rated',
      ownerKey: 'open-dialogue-lead',
      principles: ['RELATIONAL', 'REFLECTIVE'],
      workstreamCodes: ['OPEN-DIALOGUE'],
      trustTarget: 9,
      appliesTo: 'TEAMS',
      applies: (u, w) => u.kind === 'OPEN_DIALOGUE' || w.joined('OPEN-DIALOGUE') !== null,
      model: (c, t) => {
        const od = c.unit.kind === 'OPEN_DIALOGUE';
        if (!od && t < c.at(-12)) return null;
        const n = od ? c.rng.int(2, 5) : c.rng.int(0, 2);
        if (n === 0) return null;
        const p = (od ? 0.66 : 0.55) + 0.03 * c.effect + 0.12 * ramp(t, od ? c.at(-28) : c.at(-12), 18);
        let sum = 0;
        for (let i = 0; i < n; i += 1) sum += c.rng.binomial(12, clamp(p, 0.05, 0.98));
        return { numerator: sum, denominator: n };
      },
    },
    {
      code: 'COMPLAINTS-ATTITUDE',
      name: 'Complaints about staff attitude',
      description: 'Formal complaints whose main subject is staff attitude or behaviour.',
      scoringType: 'COUNT',
      improvementDirection: 'DECREASE',
      multiplier: null,
      unit: 'complaints',
      audience: 'PATIENTS',
      numeratorLabel: 'Complaints about staff attitude',
      denominatorLabel: null,
      ownerKey: 'quality-lead',
      principles: ['RELATIONAL', 'RIGHTS_BASED'],
      workstreamCodes: ['CLOSED-CULTURES'],
      trustTarget: null,
      appliesTo: 'ALL',
      model: (c, t) => {
        const j = c.joined('CULTURE-OF-CARE') ?? c.joined('CLOSED-CULTURES');
        const lambda = (isWard(c.unit) ? 0.8 : 0.5) * Math.exp(0.3 * c.effect) * (j === null ? 1 : 1 - 0.35 * ramp(t, j, 18));
        return { numerator: c.rng.poisson(lambda), denominator: null };
      },
    },
    {
      code: 'STAFF-CARE-TRAINED',
      name: 'Staff trained in relational ways of working (CARE course)',
      description: 'Staff in post who have completed the three-day Compassionate and Relational Enquiry (CARE) course.',
      scoringType: 'PROPORTION',
      improvementDirection: 'INCREASE',
      multiplier: null,
      unit: 'proportion',
      audience: 'STAFF',
      numeratorLabel: 'Staff who have completed CARE',
      denominatorLabel: 'Staff in post',
      ownerKey: 'care-lead',
      principles: ['RELATIONAL', 'REFLECTIVE'],
      workstreamCodes: ['CARE-TRAINING'],
      trustTarget: 0.8,
      appliesTo: 'ALL',
      model: (c, t) => ({ numerator: c.state.trained[t], denominator: c.state.staff[t] }),
    },
    {
      code: 'REFLECTIVE-PRACTICE',
      name: 'Reflective practice attendance',
      description: 'Staff in post who attended at least one facilitated reflective practice session in the month.',
      scoringType: 'PROPORTION',
      improvementDirection: 'INCREASE',
      multiplier: null,
      unit: 'proportion',
      audience: 'STAFF',
      numeratorLabel: 'Staff attending reflective practice',
      denominatorLabel: 'Staff in post',
      ownerKey: 'psychology-lead',
      principles: ['REFLECTIVE'],
      workstreamCodes: ['REFLECTIVE-PRACTICE-PILOT', 'CULTURE-OF-CARE'],
      trustTarget: 0.7,
      appliesTo: 'ALL',
      model: (c, t) => {
        const j = c.joined('REFLECTIVE-PRACTICE-PILOT');
        const p = 0.4 + 0.06 * c.effect + 0.1 * ramp(t, 0, c.months) + (j === null ? 0 : 0.25 * ramp(t, j, 6));
        return proportion(c.rng, c.state.staff[t], p);
      },
    },
    {
      code: 'PSYCH-SAFETY',
      name: 'Psychological safety (staff pulse survey)',
      description: 'Mean psychological safety score from the monthly staff pulse survey (seven items scored 1–7, averaged per respondent).',
      scoringType: 'MEAN',
      improvementDirection: 'INCREASE',
      multiplier: null,
      unit: 'score (1–7)',
      audience: 'STAFF',
      numeratorLabel: 'Sum of respondents\' scores',
      denominatorLabel: 'Respondents',
      ownerKey: 'workforce-lead',
      principles: ['RELATIONAL', 'RIGHTS_BASED'],
      workstreamCodes: ['CULTURE-OF-CARE'],
      trustTarget: 5.5,
      appliesTo: 'ALL',
      model: (c, t) => {
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
    },
    {
      code: 'RECRUIT-INTERPERSONAL',
      name: 'New starters assessed for interpersonal skills at recruitment',
      description: 'New starters whose recruitment explicitly assessed interpersonal skills with service users, e.g. a lived-experience panel (CORE fidelity item 22 a).',
      scoringType: 'PROPORTION',
      improvementDirection: 'INCREASE',
      multiplier: null,
      unit: 'proportion',
      audience: 'STAFF',
      numeratorLabel: 'Starters assessed for interpersonal skills',
      denominatorLabel: 'New starters',
      ownerKey: 'workforce-lead',
      principles: ['RELATIONAL'],
      workstreamCodes: ['CRISIS-SERVICES', 'AMH-CLINICAL-STRATEGY'],
      trustTarget: 0.9,
      appliesTo: 'ALL',
      model: (c, t) => {
        // Most teams have no starter in most months: those months are missing, not 0%.
        const starters = c.rng.poisson(c.state.staff[t] * 0.025);
        const crisis = c.unit.kind === 'HOME_TREATMENT' || c.unit.kind === 'CRISIS_HUB' ? 0.1 : 0;
        return proportion(c.rng, starters, 0.45 + crisis + 0.4 * ramp(t, c.at(-20), 12));
      },
    },
    {
      code: 'COMPETENCE-ASSESSED',
      name: 'Therapeutic relationship competences assessed',
      description: 'Ward staff whose competence to foster and maintain therapeutic relationships with patients, families and carers was assessed in the last 12 months (inpatient competence framework).',
      scoringType: 'PROPORTION',
      improvementDirection: 'INCREASE',
      multiplier: null,
      unit: 'proportion',
      audience: 'STAFF',
      numeratorLabel: 'Staff assessed in the last 12 months',
      denominatorLabel: 'Staff in post',
      ownerKey: 'inpatient-nursing-lead',
      principles: ['RELATIONAL', 'REFLECTIVE'],
      workstreamCodes: ['CULTURE-OF-CARE'],
      trustTarget: 0.8,
      appliesTo: 'WARDS',
      model: (c, t) => {
        const j = c.joined('CULTURE-OF-CARE');
        const p = 0.15 + 0.05 * c.effect + (j === null ? 0.2 * ramp(t, 0, c.months) : 0.55 * ramp(t, j, 24));
        return proportion(c.rng, c.state.staff[t], p);
      },
    },
    {
      code: 'CORE-ITEM-22',
      name: 'CORE fidelity item 22: prioritising therapeutic relationships',
      description: 'Criteria a–d of CORE crisis resolution team fidelity item 22 met (0–4): recruitment for interpersonal skills, monitoring staff skills, feedback sought and acted on, all-source agreement that staff are caring.',
      scoringType: 'MEAN',
      improvementDirection: 'INCREASE',
      multiplier: null,
      unit: 'criteria met (0–4)',
      audience: 'PATIENTS',
      numeratorLabel: 'Sum of criteria met',
      denominatorLabel: 'Fidelity reviews',
      ownerKey: 'crisis-lead',
      principles: ['RELATIONAL', 'RESPONSIVE'],
      workstreamCodes: ['CRISIS-SERVICES', 'WHOLE-PATHWAY'],
      trustTarget: 3,
      appliesTo: 'TEAMS',
      applies: (u) => u.kind === 'HOME_TREATMENT' || u.kind === 'CRISIS_HUB',
      model: (c, t) => {
        // A monthly self-review, sometimes with an external peer review as well.
        const reviews = 1 + (c.rng.chance(0.3) ? 1 : 0);
        const j = c.joined('CRISIS-SERVICES');
        const p = 0.5 + 0.05 * c.effect + (j === null ? 0 : 0.3 * ramp(t, j, 18));
        let met = 0;
        for (let r = 0; r < reviews; r += 1) met += c.rng.binomial(4, clamp(p, 0.05, 0.95));
        return { numerator: met, denominator: reviews };
      },
    },
    {
      code: 'STAFF-RECOMMEND',
      name: 'Staff recommending the trust as a place to work',
      description: 'Pulse-survey respondents who would recommend the trust as a place to work.',
      scoringType: 'PROPORTION',
      improvementDirection: 'INCREASE',
      multiplier: null,
      unit: 'proportion',
      audience: 'STAFF',
      numeratorLabel: 'Would recommend',
      denominatorLabel: 'Respondents',
      ownerKey: 'workforce-lead',
      principles: ['RESPONSIVE'],
      workstreamCodes: [],
      trustTarget: 0.65,
      appliesTo: 'ALL',
      model: (c, t) => {
        const respondents = c.rng.binomial(c.state.staff[t], 0.3);
        return proportion(c.rng, respondents, 0.55 + 0.05 * c.effect + 0.12 * (c.state.trained[t] / c.state.staff[t]));
      },
    },
    {
      code: 'CARE-COMPLETIONS',
      name: 'CARE course completions',
      description: 'Staff completing the three-day CARE course in the month.',
      scoringType: 'COUNT',
      improvementDirection: 'INCREASE',
      multiplier: null,
      unit: 'staff',
      audience: 'STAFF',
      numeratorLabel: 'Staff completing CARE',
      denominatorLabel: null,
      ownerKey: 'care-trainer',
      principles: ['REFLECTIVE'],
      workstreamCodes: ['CARE-TRAINING'],
      trustTarget: null,
      appliesTo: 'ALL',
      model: (c, t) => ({ numerator: c.state.completions[t], denominator: null }),
    },
    {
      code: 'PEER-SUPPORT-OFFERED',
      name: 'People offered peer support',
      description: 'New admissions and referrals offered a peer support worker with lived experience.',
      scoringType: 'PROPORTION',
      improvementDirection: 'INCREASE',
      multiplier: null,
      unit: 'proportion',
      audience: 'PATIENTS',
      numeratorLabel: 'Offered peer support',
      denominatorLabel: 'New admissions or referrals',
      ownerKey: 'peer-support-lead',
      principles: ['REFLECTIVE', 'RIGHTS_BASED'],
      workstreamCodes: ['OPEN-DIALOGUE', 'AMH-CLINICAL-STRATEGY'],
      trustTarget: 0.5,
      appliesTo: 'ALL',
      model: (c, t) => {
        const k = c.unit.kind;
        const lambda = k === 'REHAB_WARD' ? 0.6 : isWard(c.unit) ? c.unit.beds * 0.9 : k === 'HOME_TREATMENT' ? 35 : k === 'CMHT' ? 20 : k === 'CRISIS_HUB' ? 60 : 6;
        const j = c.joined('OPEN-DIALOGUE') ?? c.joined('AMH-CLINICAL-STRATEGY');
        const p = (k === 'OPEN_DIALOGUE' ? 0.75 : 0.25) + 0.05 * c.effect + (j === null ? 0.05 * ramp(t, 0, c.months) : 0.25 * ramp(t, j, 18));
        return proportion(c.rng, c.rng.poisson(lambda), p);
      },
    },
  ];
}

const CATALOGUE_SIZE = measureSpecs().length;

/** The plain definition, without the model that generates its numbers. */
function toMeasure(spec: MeasureSpec): DatasetMeasure {
  const { code, name, description, scoringType, improvementDirection, multiplier, unit, audience, numeratorLabel, denominatorLabel, ownerKey, principles, workstreamCodes, trustTarget, appliesTo } = spec;
  return { code, name, description, scoringType, improvementDirection, multiplier, unit, audience, numeratorLabel, denominatorLabel, ownerKey, principles: [...principles], workstreamCodes: [...workstreamCodes], trustTarget, appliesTo };
}

/** The first `count` measures: the catalogue, then numbered variants (CARE-MEAN-V2, …) for benchmarks. */
function selectMeasures(count: number): MeasureSpec[] {
  const catalogue = measureSpecs();
  const out: MeasureSpec[] = [];
  for (let i = 0; i < count; i += 1) {
    const base = catalogue[i % catalogue.length];
    const variant = Math.floor(i / catalogue.length) + 1;
    out.push(
      variant === 1
        ? base
        : {
            ...base,
            code: `${base.code}-V${variant}`,
            name: `${base.name} (variant ${variant})`,
            description: `Benchmark variant ${variant} of ${base.code}. ${base.description}`,
          },
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// The builder
// ---------------------------------------------------------------------------------------

function validateOptions(o: DatasetOptions): void {
  const whole = (n: number, min: number) => Number.isInteger(n) && n >= min;
  if (!whole(o.directorates, 1) || !whole(o.teamsPerDirectorate, 1) || !whole(o.measures, 1) || !whole(o.months, 1) || !Number.isFinite(o.seed)) {
    throw new RangeError(`Invalid dataset options: ${JSON.stringify(o)}`);
  }
}

export function buildDataset(options: DatasetOptions): Dataset {
  validateOptions(options);
  const { endPeriod, months, seed } = options;
  const periods = monthsBetween(addMonths(endPeriod, -(months - 1)), endPeriod);
  const first = monthIndex(periods[0]);
  const rel = (n: number): string => addMonths(endPeriod, n);
  const indexOf = (period: string): number => monthIndex(period) - first;

  const { orgUnits, frontline } = buildOrganisation(options, rel, createRandom(hashSeed(seed, 'structure')));
  const people = buildPeople(orgUnits, frontline);

  // Workstream membership, with each team's joining date (CARE runs cohorts, team by team).
  const { workstreams, membership } = buildWorkstreams(frontline, rel);

  const specs = selectMeasures(options.measures);
  const measures: DatasetMeasure[] = specs.map(toMeasure);

  // One team loses three months of data (a records-system migration): missing, not zero.
  const gapTeam = frontline.find((u) => u.kind === 'EIP' && u.directorateCode === 'RZZ-RIV') ?? frontline.find((u) => u.kind === 'EIP');
  const gapMonths = new Set([rel(-15), rel(-14), rel(-13)]);
  const rrpStart = indexOf(rel(-18));

  function* observations(): Generator<DatasetObservation> {
    for (const unit of frontline) {
      const joinedIndex = (ws: string): number | null => {
        const on = membership.get(ws)?.get(unit.code);
        return on === undefined ? null : indexOf(on);
      };
      const careCohort = joinedIndex(CARE_TRAINING);
      const states = new Map<number, UnitState>();
      const openIndex = unit.opensOn ? indexOf(unit.opensOn) : -Infinity;
      for (let m = 0; m < specs.length; m += 1) {
        const spec = specs[m];
        if (!options.everyMeasureEverywhere) {
          if (spec.appliesTo === 'WARDS' && unit.type !== 'WARD') continue;
          if (spec.appliesTo === 'TEAMS' && unit.type !== 'TEAM') continue;
          if (spec.applies && !spec.applies(unit, { joined: joinedIndex })) continue;
        }
        // Variants share the model but not the numbers: each variant simulates its own unit state.
        const variant = Math.floor(m / CATALOGUE_SIZE);
        let state = states.get(variant);
        if (!state) {
          state = simulateUnit(unit, periods, createRandom(hashSeed(seed, 'unit', unit.code, variant)), careCohort, rrpStart);
          states.set(variant, state);
        }
        const rng = createRandom(hashSeed(seed, 'series', spec.code, unit.code));
        const ctx: SeriesContext = { unit, rng, effect: rng.normal(), state, months, joined: joinedIndex, at: (n) => indexOf(rel(n)) };
        for (let t = 0; t < periods.length; t += 1) {
          // Draw every month even when it is skipped, so a gap does not shift the later numbers.
          const modelled = spec.model(ctx, t);
          const components =
            options.everyMeasureEverywhere && (!modelled || !Number.isFinite(modelled.numerator)) ? benchFiller(spec.scoringType, rng) : modelled;
          const periodStart = periods[t];
          if (!components || t < openIndex || (unit === gapTeam && gapMonths.has(periodStart))) continue;
          yield {
            measureCode: spec.code,
            orgUnitCode: unit.code,
            periodStart,
            numerator: components.numerator,
            denominator: components.denominator,
            source: DEMO_SOURCE,
            externalId: `${spec.code}/${unit.code}/${periodStart}`,
          };
        }
      }
    }
  }

  return {
    options: { ...options },
    periods,
    orgUnits,
    people,
    workstreams,
    measures,
    observations,
    countObservations: () => {
      let n = 0;
      const all = observations();
      for (let it = all.next(); !it.done; it = all.next()) n += 1;
      return n;
    },
  };
}

/**
 * Benchmarks only (everyMeasureEverywhere): plausible components for a measure whose model does
 * not fit the unit (bed-day measures at a community team), so every cell of the grid is filled.
 */
function benchFiller(scoringType: ScoringType, rng: Random): { numerator: number; denominator: number | null } {
  switch (scoringType) {
    case 'PROPORTION': {
      const denominator = 20 + rng.int(0, 30);
      return { numerator: rng.binomial(denominator, 0.7), denominator };
    }
    case 'RATE': {
      const denominator = 600 + rng.int(0, 400);
      return { numerator: rng.poisson(denominator * 0.03), denominator };
    }
    case 'MEAN': {
      const denominator = 10 + rng.int(0, 20);
      return { numerator: Math.round(denominator * (35 + rng.normal() * 3) * 10) / 10, denominator };
    }
    case 'COUNT':
      return { numerator: rng.poisson(8), denominator: null };
  }
}
