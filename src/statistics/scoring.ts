/**
 * Scoring types, validation of an observation's components, and the value they give.
 *
 * An observation stores its components (numerator and denominator), never only the ratio,
 * so that an organisation's figure can be pooled exactly from its teams (see pooling.ts).
 * Pure functions: no I/O.
 */

export type ScoringType = 'PROPORTION' | 'RATE' | 'MEAN' | 'COUNT';

export const SCORING_TYPES: readonly ScoringType[] = ['PROPORTION', 'RATE', 'MEAN', 'COUNT'];

/** The stored parts of one observation. `denominator` is null for a COUNT. */
export interface Components {
  numerator: number;
  denominator: number | null;
}

/** One problem with one field of an observation; `code` is stable, `message` is for people. */
export interface ComponentProblem {
  field: 'numerator' | 'denominator';
  code: string;
  message: string;
}

/** Stable problem codes (SCREAMING_SNAKE_CASE) that callers may switch on. */
export const COMPONENT_PROBLEM_CODES = [
  'REQUIRED',
  'NOT_FINITE',
  'TOO_LARGE',
  'NEGATIVE',
  'NOT_INTEGER',
  'ZERO_DENOMINATOR',
  'NUMERATOR_EXCEEDS_DENOMINATOR',
  'DENOMINATOR_NOT_ALLOWED',
] as const;
export type ComponentProblemCode = (typeof COMPONENT_PROBLEM_CODES)[number];

type Field = ComponentProblem['field'];

/** What each field means for each scoring type, so messages say what to fix in the source data. */
const FIELD_MEANING: Record<ScoringType, Record<Field, string>> = {
  PROPORTION: { numerator: 'the number who met the criterion', denominator: 'the number eligible' },
  RATE: { numerator: 'the number of events', denominator: 'the exposure (for example occupied bed days)' },
  MEAN: { numerator: 'the sum of the scores', denominator: 'the number of responses' },
  COUNT: { numerator: 'the count', denominator: 'no denominator' },
};

/** Per field and scoring type: must the value be a whole number, and may it be negative? */
interface FieldRule {
  integer: boolean;
  allowNegative: boolean;
}

const NUMERATOR_RULES: Record<ScoringType, FieldRule> = {
  PROPORTION: { integer: true, allowNegative: false },
  // Events are usually whole, but exposure-weighted numerators need not be; only sign is checked.
  RATE: { integer: false, allowNegative: false },
  // A sum of scores may be fractional (CARE totals with imputed items) and some scales go below zero.
  MEAN: { integer: false, allowNegative: true },
  COUNT: { integer: true, allowNegative: false },
};

const DENOMINATOR_RULES: Record<Exclude<ScoringType, 'COUNT'>, FieldRule> = {
  PROPORTION: { integer: true, allowNegative: false },
  // Exposure such as bed days may be fractional (part days).
  RATE: { integer: false, allowNegative: false },
  MEAN: { integer: true, allowNegative: false },
};

type Input = number | null | undefined;

function problem(field: Field, code: ComponentProblemCode, message: string): ComponentProblem {
  return { field, code, message };
}

function label(scoringType: ScoringType, field: Field): string {
  const name = field === 'numerator' ? 'Numerator' : 'Denominator';
  return `${name} (${FIELD_MEANING[scoringType][field]})`;
}

/**
 * Checks one numeric field; returns the first problem only, because later checks are
 * meaningless once an earlier one fails (a missing value is neither negative nor fractional).
 */
function checkField(
  scoringType: ScoringType,
  field: Field,
  value: Input,
  rule: FieldRule,
  zeroAllowed: boolean,
): ComponentProblem | null {
  const what = label(scoringType, field);
  if (value === null || value === undefined) {
    return problem(field, 'REQUIRED', `${what} is required for a ${scoringType} measure.`);
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return problem(field, 'NOT_FINITE', `${what} must be a finite number, not ${String(value)}.`);
  }
  if (Math.abs(value) > Number.MAX_SAFE_INTEGER) {
    return problem(field, 'TOO_LARGE', `${what} is too large to add up exactly (${value}); check the source figure.`);
  }
  if (!rule.allowNegative && value < 0) {
    return problem(field, 'NEGATIVE', `${what} cannot be negative (got ${value}).`);
  }
  if (!zeroAllowed && value === 0) {
    return problem(
      field,
      'ZERO_DENOMINATOR',
      `${what} must be greater than 0; with nothing to divide by there is no ${scoringType.toLowerCase()} ` +
        'for this period — leave the row out rather than send 0.',
    );
  }
  if (rule.integer && !Number.isInteger(value)) {
    return problem(field, 'NOT_INTEGER', `${what} must be a whole number for a ${scoringType} measure (got ${value}).`);
  }
  return null;
}

function checkDenominatorAbsent(denominator: Input): ComponentProblem | null {
  if (denominator === null || denominator === undefined) return null;
  return problem(
    'denominator',
    'DENOMINATOR_NOT_ALLOWED',
    `A COUNT measure takes no denominator (got ${String(denominator)}); leave it empty, ` +
      'or define the measure as a PROPORTION, RATE or MEAN if the figure has one.',
  );
}

/** PROPORTION only: the people who met the criterion are a subset of those eligible. */
function checkNumeratorWithinDenominator(numerator: number, denominator: number): ComponentProblem | null {
  if (numerator <= denominator) return null;
  return problem(
    'numerator',
    'NUMERATOR_EXCEEDS_DENOMINATOR',
    `Numerator (${numerator}) cannot exceed the denominator (${denominator}) for a PROPORTION: ` +
      'those who met the criterion must be counted among those eligible.',
  );
}

/**
 * Validates one observation's components for a scoring type.
 * Returns every problem found (at most one per field, plus the cross-field check when
 * both fields are individually valid); an empty list means the components are valid.
 */
export function validateComponents(
  scoringType: ScoringType,
  c: { numerator: Input; denominator: Input },
): ComponentProblem[] {
  const problems: ComponentProblem[] = [];
  const numeratorProblem = checkField(scoringType, 'numerator', c.numerator, NUMERATOR_RULES[scoringType], true);
  if (numeratorProblem) problems.push(numeratorProblem);

  if (scoringType === 'COUNT') {
    const absent = checkDenominatorAbsent(c.denominator);
    if (absent) problems.push(absent);
    return problems;
  }

  const denominatorProblem = checkField(
    scoringType,
    'denominator',
    c.denominator,
    DENOMINATOR_RULES[scoringType],
    false,
  );
  if (denominatorProblem) problems.push(denominatorProblem);

  if (scoringType === 'PROPORTION' && !numeratorProblem && !denominatorProblem) {
    const exceeds = checkNumeratorWithinDenominator(c.numerator as number, c.denominator as number);
    if (exceeds) problems.push(exceeds);
  }
  return problems;
}

/** True for the scoring types whose value is a ratio and so need a denominator. */
export function hasDenominator(scoringType: ScoringType): boolean {
  return scoringType !== 'COUNT';
}

/**
 * The value of components in the measure's unit: a PROPORTION as a fraction 0..1, a RATE
 * already multiplied (multiplier defaults to 1 and applies to RATE only), a MEAN as sum ÷ n,
 * a COUNT as the numerator. Null when there is no meaningful value (no or zero denominator,
 * non-finite input) — never 0, because missing is not zero.
 */
export function valueOf(scoringType: ScoringType, c: Components, multiplier?: number | null): number | null {
  if (!Number.isFinite(c.numerator)) return null;
  if (scoringType === 'COUNT') return c.numerator;

  const { denominator } = c;
  if (denominator === null || !Number.isFinite(denominator) || denominator === 0) return null;

  const ratio = c.numerator / denominator;
  const value = scoringType === 'RATE' ? ratio * (multiplier ?? 1) : ratio;
  return Number.isFinite(value) ? value : null;
}

// ---------------------------------------------------------------------------------------
// CARE measure (Consultation and Relational Empathy; Mercer et al. 2004)
// ---------------------------------------------------------------------------------------

/** One CARE item: 1 (poor) .. 5 (excellent), or null for "does not apply". */
export type CareAnswer = 1 | 2 | 3 | 4 | 5 | null;

export const CARE_ITEM_COUNT = 10;
/** At most this many "does not apply" answers may be imputed; more and the form is excluded. */
export const CARE_MAX_NOT_APPLICABLE = 2;

export type CareScore = { total: number } | { excluded: true; reason: string };

function isCareScore(answer: unknown): answer is 1 | 2 | 3 | 4 | 5 {
  return typeof answer === 'number' && Number.isInteger(answer) && answer >= 1 && answer <= 5;
}

/** Why a set of answers cannot be scored at all, or null when its shape is right. */
function careShapeProblem(answers: readonly unknown[]): string | null {
  if (answers.length !== CARE_ITEM_COUNT) {
    return `the CARE measure has ${CARE_ITEM_COUNT} items but ${answers.length} answers were given`;
  }
  const bad = answers.findIndex((a) => a !== null && !isCareScore(a));
  if (bad >= 0) {
    return `item ${bad + 1} is ${String(answers[bad])}; each answer must be 1 to 5, or empty for "does not apply"`;
  }
  return null;
}

/**
 * Scores one CARE questionnaire: total of 10 items, range 10..50.
 * Up to two "does not apply" (null) answers are replaced by the mean of the answered items,
 * which is the same as scaling the answered sum to ten items: total = sum × 10 ÷ answered.
 * The exact total is returned, NOT rounded (e.g. 37.5, or 34.444… for 31 over 9 items), so
 * that means pooled across questionnaires stay exact; round only for display.
 * More than two nulls, or a malformed questionnaire, is excluded with a reason.
 */
export function scoreCareQuestionnaire(answers: readonly CareAnswer[]): CareScore {
  const shape = careShapeProblem(answers);
  if (shape) return { excluded: true, reason: `Cannot score: ${shape}.` };

  const answered = answers.filter(isCareScore);
  const notApplicable = CARE_ITEM_COUNT - answered.length;
  if (notApplicable > CARE_MAX_NOT_APPLICABLE) {
    return {
      excluded: true,
      reason:
        `${notApplicable} of ${CARE_ITEM_COUNT} items were "does not apply"; ` +
        `at most ${CARE_MAX_NOT_APPLICABLE} can be replaced by the mean of the others, so the questionnaire is excluded.`,
    };
  }
  const sum = answered.reduce((acc, a) => acc + a, 0);
  // Multiply before dividing so that whole totals stay exact in floating point.
  return { total: (sum * CARE_ITEM_COUNT) / answered.length };
}
