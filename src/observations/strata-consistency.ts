import type { RowProblem, ValidRow } from './row-validation';

/**
 * The strata of a measure × unit × period add up to its whole population, for every
 * stratifier (the "not known" codes included, so they always can). Pure: the pipeline reads
 * the rows already stored for the batch's keys and passes them in.
 *
 * For each key the batch touches, the strata after the write are those stored, replaced by
 * those sent; the whole is the one sent, else the one stored. Then:
 *  - a whole that was sent (now or before) is authoritative: each stratifier's strata must add
 *    up to it, or every row the batch sent for the key is refused (STRATA_DO_NOT_ADD_UP);
 *  - with no whole sent, the whole is derived as the sum of the strata (all stratifiers must
 *    agree on it), written beside them and kept in step as strata are corrected.
 * A key's rows are refused together: half of them written would leave sums that disagree.
 */

export interface StoredRow {
  measureId: number;
  orgUnitId: number;
  periodStart: string;
  stratifier: string;
  stratumCode: string;
  numerator: number;
  denominator: number | null;
  derivedFromStrata: boolean;
}

export interface StrataCheck {
  /** the batch's rows that may be written */
  valid: ValidRow[];
  /** one per refused row */
  problems: RowProblem[];
  /** whole-population rows worked out from strata, to write beside the batch */
  derived: ValidRow[];
}

type Components = { numerator: number; denominator: number | null };

const keyOf = (r: { measureId: number; orgUnitId: number; periodStart: string }) => `${r.measureId}|${r.orgUnitId}|${r.periodStart}`;

/** Sums from different orders of addition may differ in the last bits. */
function same(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

function sameComponents(a: Components, b: Components): boolean {
  return same(a.numerator, b.numerator) && same(a.denominator ?? 0, b.denominator ?? 0);
}

function sum(strata: Iterable<Components>, isCount: boolean): Components {
  let numerator = 0;
  let denominator = 0;
  for (const s of strata) {
    numerator += s.numerator;
    denominator += s.denominator ?? 0;
  }
  return { numerator, denominator: isCount ? null : denominator };
}

const text = (c: Components) => (c.denominator === null ? String(c.numerator) : `${c.numerator}/${c.denominator}`);

export function checkStrata(batch: readonly ValidRow[], stored: readonly StoredRow[], isCount: (measureId: number) => boolean): StrataCheck {
  const batchByKey = new Map<string, ValidRow[]>();
  for (const row of batch) {
    const list = batchByKey.get(keyOf(row));
    if (list) list.push(row);
    else batchByKey.set(keyOf(row), [row]);
  }
  const storedByKey = new Map<string, StoredRow[]>();
  for (const row of stored) {
    const list = storedByKey.get(keyOf(row));
    if (list) list.push(row);
    else storedByKey.set(keyOf(row), [row]);
  }

  const refused = new Set<ValidRow>();
  const problems: RowProblem[] = [];
  const derived: ValidRow[] = [];
  for (const [key, sent] of batchByKey) {
    const before = storedByKey.get(key) ?? [];
    const count = isCount(sent[0].measureId);
    // The strata after the write, per stratifier and code.
    const strata = new Map<string, Map<string, Components>>();
    const put = (stratifier: string, code: string, c: Components) => {
      const codes = strata.get(stratifier) ?? new Map<string, Components>();
      codes.set(code, c);
      strata.set(stratifier, codes);
    };
    for (const row of before) if (row.stratifier !== '') put(row.stratifier, row.stratumCode, row);
    for (const row of sent) if (row.stratifier !== '') put(row.stratifier, row.stratumCode, row);
    if (strata.size === 0) continue; // a whole population alone, as always

    const sentWhole = sent.find((r) => r.stratifier === '');
    const storedWhole = before.find((r) => r.stratifier === '');
    const authoritative: Components | null = sentWhole ?? (storedWhole && !storedWhole.derivedFromStrata ? storedWhole : null);
    const sums = [...strata].sort(([a], [b]) => a.localeCompare(b)).map(([stratifier, codes]) => ({ stratifier, total: sum(codes.values(), count) }));
    const whole = authoritative ?? sums[0].total;
    const mismatched = sums.filter((s) => !sameComponents(s.total, whole));
    if (mismatched.length > 0) {
      const [first] = mismatched;
      const said = authoritative ? `the whole population is ${text(whole)}` : `the ${sums[0].stratifier} strata add up to ${text(whole)}`;
      const message = `The ${first.stratifier} strata for ${sent[0].periodStart} add up to ${text(first.total)}, but ${said}: send strata that add up to the whole population (not known codes included)`;
      for (const row of sent) {
        refused.add(row);
        problems.push({ field: ['rows', String(row.index), row.stratifier === '' ? 'numerator' : 'stratum'], code: 'STRATA_DO_NOT_ADD_UP', message });
      }
      continue;
    }
    if (!authoritative && !(storedWhole && sameComponents(storedWhole, whole))) {
      const model = sent[0];
      derived.push({
        index: -1,
        measureId: model.measureId,
        orgUnitId: model.orgUnitId,
        periodStart: model.periodStart,
        numerator: whole.numerator,
        denominator: whole.denominator,
        source: model.source,
        externalId: null,
        stratifier: '',
        stratumCode: '',
        derivedFromStrata: true,
      });
    }
  }
  return { valid: batch.filter((row) => !refused.has(row)), problems, derived };
}
