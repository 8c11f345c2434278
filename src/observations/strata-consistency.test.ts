import { checkStrata, type StoredRow } from './strata-consistency';
import type { ValidRow } from './row-validation';

/** Hand-made rows of one measure (id 1) at one unit (id 7) for March 2025. */
const row = (index: number, numerator: number, denominator: number | null, stratifier = '', stratumCode = ''): ValidRow => ({
  index,
  measureId: 1,
  orgUnitId: 7,
  periodStart: '2025-03-01',
  numerator,
  denominator,
  source: 'epr',
  externalId: null,
  stratifier,
  stratumCode,
});
const stored = (numerator: number, denominator: number | null, stratifier = '', stratumCode = '', derivedFromStrata = false): StoredRow => ({
  measureId: 1,
  orgUnitId: 7,
  periodStart: '2025-03-01',
  stratifier,
  stratumCode,
  numerator,
  denominator,
  derivedFromStrata,
});
const proportion = () => false;
const count = () => true;

describe('strata add up to the whole population', () => {
  test('a whole and strata that add up (30/40 = 12/15 + 10/15 + 8/10) are all written, nothing derived', () => {
    const batch = [row(0, 30, 40), row(1, 12, 15, 'ETHNICITY', 'A'), row(2, 10, 15, 'ETHNICITY', 'M'), row(3, 8, 10, 'ETHNICITY', '99')];
    expect(checkStrata(batch, [], proportion)).toEqual({ valid: batch, problems: [], derived: [] });
  });

  test('strata that do not add up (12 + 10 + 7 = 29, whole 30) refuse every row of the key, with the sums in words', () => {
    const batch = [row(0, 30, 40), row(1, 12, 15, 'ETHNICITY', 'A'), row(2, 10, 15, 'ETHNICITY', 'M'), row(3, 7, 10, 'ETHNICITY', '99')];
    const result = checkStrata(batch, [], proportion);
    expect(result.valid).toEqual([]);
    expect(result.problems.map((p) => [p.field, p.code])).toEqual([
      [['rows', '0', 'numerator'], 'STRATA_DO_NOT_ADD_UP'],
      [['rows', '1', 'stratum'], 'STRATA_DO_NOT_ADD_UP'],
      [['rows', '2', 'stratum'], 'STRATA_DO_NOT_ADD_UP'],
      [['rows', '3', 'stratum'], 'STRATA_DO_NOT_ADD_UP'],
    ]);
    expect(result.problems[0].message).toBe(
      'The ETHNICITY strata for 2025-03-01 add up to 29/40, but the whole population is 30/40: send strata that add up to the whole population (not known codes included)',
    );
  });

  test('strata alone derive the whole (a COUNT: 3 + 4 + 2 = 9); two stratifiers must agree on it', () => {
    const batch = [row(0, 3, null, 'SEX', '1'), row(1, 4, null, 'SEX', '2'), row(2, 2, null, 'SEX', 'X'), row(3, 9, null, 'LEGAL_STATUS', 'DETAINED')];
    const result = checkStrata(batch, [], count);
    expect(result.problems).toEqual([]);
    expect(result.derived).toEqual([expect.objectContaining({ index: -1, numerator: 9, denominator: null, stratifier: '', stratumCode: '', derivedFromStrata: true })]);
    const disagreeing = checkStrata([...batch.slice(0, 3), row(3, 8, null, 'LEGAL_STATUS', 'DETAINED')], [], count);
    expect(disagreeing.derived).toEqual([]);
    expect(disagreeing.problems[0].message).toMatch(/^The SEX strata for 2025-03-01 add up to 9, but the LEGAL_STATUS strata add up to 8/);
  });

  test('a corrected stratum re-derives a derived whole, and is checked against a whole that was sent', () => {
    const before = [stored(3, null, 'SEX', '1'), stored(4, null, 'SEX', '2'), stored(2, null, 'SEX', 'X'), stored(9, null, '', '', true)];
    const corrected = checkStrata([row(0, 5, null, 'SEX', '1')], before, count);
    expect(corrected.problems).toEqual([]);
    expect(corrected.derived).toEqual([expect.objectContaining({ numerator: 11, derivedFromStrata: true })]);

    const sentWhole = [stored(3, null, 'SEX', '1'), stored(4, null, 'SEX', '2'), stored(2, null, 'SEX', 'X'), stored(9, null)];
    expect(checkStrata([row(0, 5, null, 'SEX', '1')], sentWhole, count).problems[0].code).toBe('STRATA_DO_NOT_ADD_UP');
    // The same correction with the whole corrected alike is fine.
    expect(checkStrata([row(0, 5, null, 'SEX', '1'), row(1, 11, null)], sentWhole, count)).toMatchObject({ problems: [], derived: [] });
  });

  test('re-sending what is stored derives nothing; a whole alone is never checked against nothing', () => {
    const before = [stored(3, null, 'SEX', '1'), stored(6, null, 'SEX', '2'), stored(9, null, '', '', true)];
    expect(checkStrata([row(0, 3, null, 'SEX', '1'), row(1, 6, null, 'SEX', '2')], before, count)).toMatchObject({ problems: [], derived: [] });
    expect(checkStrata([row(0, 12, null)], [], count)).toMatchObject({ problems: [], derived: [] });
  });

  test('fractional components add up within rounding (0.1 + 0.2 against 0.3)', () => {
    const batch = [row(0, 0.3, 1), row(1, 0.1, 0.5, 'SEX', '1'), row(2, 0.2, 0.5, 'SEX', '2')];
    expect(checkStrata(batch, [], proportion).problems).toEqual([]);
  });
});
