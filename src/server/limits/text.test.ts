import { nulInVariables, nulPath } from './text';

describe('nulPath', () => {
  it('finds no NUL in a large clean import', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({ measureCode: 'M1', orgUnitCode: `T${i}`, periodStart: '2026-01-01', numerator: i, stratum: null }));
    expect(nulPath({ input: { rows, dryRun: false } })).toBeNull();
  });

  it('names the first string holding a NUL, depth first in key order', () => {
    const rows = [{ measureCode: 'M1', source: 'ok' }, { measureCode: 'M\u00002', source: 'bad\u0000' }, { measureCode: '\u0000' }];
    expect(nulPath({ input: { rows } })).toEqual(['input', 'rows', 1, 'measureCode']);
    expect(nulInVariables({ input: { rows } })).toBe('variable $input at input.rows.1.measureCode');
    expect(nulInVariables({ code: 'a\u0000' })).toBe('variable $code');
  });

  it('looks inside nested arrays and ignores keys inherited from a prototype', () => {
    expect(nulPath([[['x', ['y\u0000']]]])).toEqual([0, 0, 1, 0]);
    const inherited = Object.create({ hidden: 'h\u0000' }) as Record<string, unknown>;
    inherited.own = 'fine';
    expect(nulPath(inherited)).toBeNull();
  });
});
