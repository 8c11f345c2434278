import {
  COMPONENT_PROBLEM_CODES,
  scoreCareQuestionnaire,
  validateComponents,
  valueOf,
  type CareAnswer,
  type ComponentProblem,
  type ScoringType,
} from './scoring';

/** The codes of a problem list, in order, for compact assertions. */
function codes(problems: ComponentProblem[]): string[] {
  return problems.map((p) => `${p.field}:${p.code}`);
}

describe('valueOf', () => {
  it('gives a PROPORTION as a fraction 0..1', () => {
    // 9 ÷ 10 = 0.9
    expect(valueOf('PROPORTION', { numerator: 9, denominator: 10 })).toBe(0.9);
  });

  it('does not apply a multiplier to a PROPORTION (it stays a fraction)', () => {
    // 1 ÷ 4 = 0.25, whatever multiplier is passed
    expect(valueOf('PROPORTION', { numerator: 1, denominator: 4 }, 100)).toBe(0.25);
  });

  it('gives a RATE per 1,000 bed days', () => {
    // 12 ÷ 3,450 × 1,000 = 12,000 ÷ 3,450
    //   3,450 × 3 = 10,350, remainder 1,650 → 3.
    //   16,500 ÷ 3,450 = 4 r 2,700 → 3.4;  27,000 ÷ 3,450 = 7 r 2,850 → 3.47
    //   28,500 ÷ 3,450 = 8 r 900 → 3.478;   9,000 ÷ 3,450 = 2 r 2,100 → 3.4782
    //   21,000 ÷ 3,450 = 6 r 300 → 3.47826
    expect(valueOf('RATE', { numerator: 12, denominator: 3450 }, 1000)).toBeCloseTo(3.47826, 5);
  });

  it('defaults the RATE multiplier to 1', () => {
    // 12 ÷ 3,450 = 0.00347826…
    expect(valueOf('RATE', { numerator: 12, denominator: 3450 })).toBeCloseTo(0.00347826, 8);
    expect(valueOf('RATE', { numerator: 12, denominator: 3450 }, null)).toBeCloseTo(0.00347826, 8);
  });

  it('gives a MEAN as sum of scores ÷ number of responses', () => {
    // 180 ÷ 5 = 36
    expect(valueOf('MEAN', { numerator: 180, denominator: 5 })).toBe(36);
  });

  it('gives a COUNT as its numerator', () => {
    expect(valueOf('COUNT', { numerator: 7, denominator: null })).toBe(7);
    expect(valueOf('COUNT', { numerator: 0, denominator: null })).toBe(0);
  });

  it('is null, not 0, when there is nothing to divide by', () => {
    expect(valueOf('PROPORTION', { numerator: 0, denominator: 0 })).toBeNull();
    expect(valueOf('RATE', { numerator: 3, denominator: null }, 1000)).toBeNull();
    expect(valueOf('MEAN', { numerator: 10, denominator: Number.NaN })).toBeNull();
    expect(valueOf('COUNT', { numerator: Number.POSITIVE_INFINITY, denominator: null })).toBeNull();
  });

  it('is 0 for a true zero numerator', () => {
    // 0 ÷ 10 = 0: a measured zero, unlike a missing figure
    expect(valueOf('PROPORTION', { numerator: 0, denominator: 10 })).toBe(0);
  });
});

describe('validateComponents', () => {
  it('accepts valid components of each type', () => {
    expect(validateComponents('PROPORTION', { numerator: 9, denominator: 10 })).toEqual([]);
    expect(validateComponents('PROPORTION', { numerator: 0, denominator: 10 })).toEqual([]);
    expect(validateComponents('PROPORTION', { numerator: 10, denominator: 10 })).toEqual([]);
    expect(validateComponents('RATE', { numerator: 12, denominator: 3450 })).toEqual([]);
    expect(validateComponents('RATE', { numerator: 0, denominator: 3450 })).toEqual([]);
    expect(validateComponents('MEAN', { numerator: 187.5, denominator: 5 })).toEqual([]);
    expect(validateComponents('COUNT', { numerator: 0, denominator: null })).toEqual([]);
    expect(validateComponents('COUNT', { numerator: 7, denominator: undefined })).toEqual([]);
  });

  it('REQUIRED: a missing numerator or ratio denominator', () => {
    expect(codes(validateComponents('PROPORTION', { numerator: null, denominator: 10 }))).toEqual([
      'numerator:REQUIRED',
    ]);
    expect(codes(validateComponents('COUNT', { numerator: undefined, denominator: null }))).toEqual([
      'numerator:REQUIRED',
    ]);
    for (const type of ['PROPORTION', 'RATE', 'MEAN'] as ScoringType[]) {
      expect(codes(validateComponents(type, { numerator: 1, denominator: null }))).toEqual(['denominator:REQUIRED']);
      expect(codes(validateComponents(type, { numerator: 1, denominator: undefined }))).toEqual([
        'denominator:REQUIRED',
      ]);
    }
  });

  it('NOT_FINITE: NaN and infinities', () => {
    expect(codes(validateComponents('RATE', { numerator: Number.NaN, denominator: 100 }))).toEqual([
      'numerator:NOT_FINITE',
    ]);
    expect(codes(validateComponents('MEAN', { numerator: 10, denominator: Number.POSITIVE_INFINITY }))).toEqual([
      'denominator:NOT_FINITE',
    ]);
    expect(codes(validateComponents('COUNT', { numerator: Number.NEGATIVE_INFINITY, denominator: null }))).toEqual([
      'numerator:NOT_FINITE',
    ]);
  });

  it('TOO_LARGE: beyond the range that adds up exactly', () => {
    // 1e16 > 2^53 − 1 = 9,007,199,254,740,991
    expect(codes(validateComponents('COUNT', { numerator: 1e16, denominator: null }))).toEqual([
      'numerator:TOO_LARGE',
    ]);
  });

  it('NEGATIVE: counts and exposures cannot be below zero', () => {
    expect(codes(validateComponents('PROPORTION', { numerator: -1, denominator: 10 }))).toEqual([
      'numerator:NEGATIVE',
    ]);
    expect(codes(validateComponents('RATE', { numerator: 12, denominator: -3450 }))).toEqual([
      'denominator:NEGATIVE',
    ]);
    expect(codes(validateComponents('COUNT', { numerator: -3, denominator: null }))).toEqual(['numerator:NEGATIVE']);
    expect(codes(validateComponents('MEAN', { numerator: 10, denominator: -2 }))).toEqual(['denominator:NEGATIVE']);
  });

  it('allows a negative MEAN sum (some scales go below zero)', () => {
    expect(validateComponents('MEAN', { numerator: -3, denominator: 2 })).toEqual([]);
  });

  it('ZERO_DENOMINATOR: for every ratio type', () => {
    for (const type of ['PROPORTION', 'RATE', 'MEAN'] as ScoringType[]) {
      expect(codes(validateComponents(type, { numerator: 0, denominator: 0 }))).toEqual(['denominator:ZERO_DENOMINATOR']);
    }
  });

  it('NOT_INTEGER: people and responses are whole, exposure and sums need not be', () => {
    expect(codes(validateComponents('PROPORTION', { numerator: 1.5, denominator: 10 }))).toEqual([
      'numerator:NOT_INTEGER',
    ]);
    expect(codes(validateComponents('PROPORTION', { numerator: 1, denominator: 10.5 }))).toEqual([
      'denominator:NOT_INTEGER',
    ]);
    expect(codes(validateComponents('MEAN', { numerator: 37.5, denominator: 2.5 }))).toEqual([
      'denominator:NOT_INTEGER',
    ]);
    expect(codes(validateComponents('COUNT', { numerator: 2.5, denominator: null }))).toEqual([
      'numerator:NOT_INTEGER',
    ]);
    // A rate's events and exposure may be fractional (e.g. part bed days).
    expect(validateComponents('RATE', { numerator: 2.5, denominator: 3450.5 })).toEqual([]);
  });

  it('NUMERATOR_EXCEEDS_DENOMINATOR: a PROPORTION of more than everyone', () => {
    expect(codes(validateComponents('PROPORTION', { numerator: 11, denominator: 10 }))).toEqual([
      'numerator:NUMERATOR_EXCEEDS_DENOMINATOR',
    ]);
    // Not a problem for a RATE (12 events in 10 bed days is possible) or a MEAN.
    expect(validateComponents('RATE', { numerator: 12, denominator: 10 })).toEqual([]);
    expect(validateComponents('MEAN', { numerator: 45, denominator: 1 })).toEqual([]);
  });

  it('DENOMINATOR_NOT_ALLOWED: a COUNT has no denominator, not even 0', () => {
    expect(codes(validateComponents('COUNT', { numerator: 4, denominator: 5 }))).toEqual([
      'denominator:DENOMINATOR_NOT_ALLOWED',
    ]);
    expect(codes(validateComponents('COUNT', { numerator: 4, denominator: 0 }))).toEqual([
      'denominator:DENOMINATOR_NOT_ALLOWED',
    ]);
  });

  it('reports one problem per field, and both fields when both are wrong', () => {
    // -1.5 is both negative and fractional: only the first check reports.
    expect(codes(validateComponents('PROPORTION', { numerator: -1.5, denominator: 0 }))).toEqual([
      'numerator:NEGATIVE',
      'denominator:ZERO_DENOMINATOR',
    ]);
  });

  it('runs the cross-field check only when both fields are valid on their own', () => {
    // 11.5 > 10, but the fractional numerator is the problem to fix first.
    expect(codes(validateComponents('PROPORTION', { numerator: 11.5, denominator: 10 }))).toEqual([
      'numerator:NOT_INTEGER',
    ]);
  });

  it('uses SCREAMING_SNAKE_CASE codes and messages that say what to fix', () => {
    for (const code of COMPONENT_PROBLEM_CODES) expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
    const [zero] = validateComponents('RATE', { numerator: 3, denominator: 0 });
    expect(zero?.message).toMatch(/bed days/);
    expect(zero?.message).toMatch(/greater than 0/);
    const [exceeds] = validateComponents('PROPORTION', { numerator: 11, denominator: 10 });
    expect(exceeds?.message).toMatch(/11/);
    expect(exceeds?.message).toMatch(/10/);
  });
});

describe('scoreCareQuestionnaire', () => {
  it('sums ten answers with no "does not apply"', () => {
    // 5+4+4+3+5 = 21; 4+3+4+5+4 = 20; 21 + 20 = 41
    expect(scoreCareQuestionnaire([5, 4, 4, 3, 5, 4, 3, 4, 5, 4])).toEqual({ total: 41 });
  });

  it('spans 10 to 50', () => {
    // 10 × 1 = 10; 10 × 5 = 50
    expect(scoreCareQuestionnaire([1, 1, 1, 1, 1, 1, 1, 1, 1, 1])).toEqual({ total: 10 });
    expect(scoreCareQuestionnaire([5, 5, 5, 5, 5, 5, 5, 5, 5, 5])).toEqual({ total: 50 });
  });

  it('replaces one "does not apply" with the mean of the others', () => {
    // nine 4s: sum 36, mean 4; 36 + 4 = 40
    expect(scoreCareQuestionnaire([4, 4, 4, 4, 4, 4, 4, 4, 4, null])).toEqual({ total: 40 });
  });

  it('replaces two "does not apply" with the mean of the others, keeping the exact fraction', () => {
    // answered: 5+4+4+3+4+3+4+3 = 30 over 8 items, mean 30 ÷ 8 = 3.75
    // total = 30 + 2 × 3.75 = 37.5 (not rounded to 38)
    expect(scoreCareQuestionnaire([5, 4, null, 4, 3, null, 4, 3, 4, 3])).toEqual({ total: 37.5 });
  });

  it('keeps a recurring fractional total unrounded', () => {
    // answered: 4+4+4+4 = 16, 3+3+3+3+3 = 15, sum 31 over 9 items, mean 31 ÷ 9 = 3.444…
    // total = 31 + 3.444… = 34.444… (= 310 ÷ 9)
    const score = scoreCareQuestionnaire([4, 4, 4, 4, 3, 3, 3, 3, 3, null]);
    expect('total' in score).toBe(true);
    if ('total' in score) {
      expect(score.total).toBeCloseTo(34.444444, 6);
      expect(score.total).not.toBe(34);
    }
  });

  it('excludes a questionnaire with three "does not apply"', () => {
    const answers: CareAnswer[] = [5, null, 4, null, 3, null, 4, 3, 4, 3];
    const score = scoreCareQuestionnaire(answers);
    expect(score).toEqual({ excluded: true, reason: expect.stringMatching(/3 of 10 items/) });
  });

  it('excludes a questionnaire where nothing applies', () => {
    const score = scoreCareQuestionnaire([null, null, null, null, null, null, null, null, null, null]);
    expect('excluded' in score && score.excluded).toBe(true);
  });

  it('excludes a malformed questionnaire with a reason instead of guessing', () => {
    expect(scoreCareQuestionnaire([5, 4, 4, 3, 5, 4, 3, 4, 5])).toEqual({
      excluded: true,
      reason: expect.stringMatching(/10 items but 9 answers/),
    });
    const outOfRange = [5, 4, 4, 3, 5, 4, 3, 4, 5, 6] as unknown as CareAnswer[];
    expect(scoreCareQuestionnaire(outOfRange)).toEqual({
      excluded: true,
      reason: expect.stringMatching(/item 10 is 6/),
    });
    const zero = [0, 4, 4, 3, 5, 4, 3, 4, 5, 4] as unknown as CareAnswer[];
    expect(scoreCareQuestionnaire(zero)).toEqual({ excluded: true, reason: expect.stringMatching(/item 1 is 0/) });
  });
});
