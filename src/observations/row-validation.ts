import { isPeriodStart } from '../statistics/periods';
import { validateComponents, type ScoringType } from '../statistics/scoring';
import { isStratifierKey, STRATIFIER_KEYS, STRATIFIERS, stratumOf } from '../statistics/stratifiers';

/**
 * Per-row validation of incoming observations, pure: the caller looks up measures and org
 * units (one query each for the whole batch) and passes what it found. Every problem names
 * the row index and field, as `["rows", "<index>", "<field>"]`.
 */
export interface IncomingRow {
  measureCode: string;
  orgUnitCode: string;
  periodStart: string;
  numerator: number | null | undefined;
  denominator?: number | null;
  source: string;
  externalId?: string | null;
  /** one stratum of the population (the equality lens); absent or null: the whole population */
  stratum?: { stratifier: string; code: string } | null;
}

export interface KnownMeasure {
  id: number;
  scoringType: ScoringType;
  periodicity: 'MONTH' | 'QUARTER';
  archived: boolean;
  /** the stratifiers the measure is reported by */
  stratifiers: readonly string[];
}

export interface KnownOrgUnit {
  id: number;
  path: string;
  archived: boolean;
}

export interface RowProblem {
  field: string[];
  code: string;
  message: string;
}

export interface ValidRow {
  index: number;
  measureId: number;
  orgUnitId: number;
  periodStart: string;
  numerator: number;
  denominator: number | null;
  source: string;
  externalId: string | null;
  /** '' and '' for the whole population */
  stratifier: string;
  stratumCode: string;
  /** a whole-population row the import worked out from its strata (strata-consistency.ts) */
  derivedFromStrata?: boolean;
}

export interface RowContext {
  measures: ReadonlyMap<string, KnownMeasure>;
  orgUnits: ReadonlyMap<string, KnownOrgUnit>;
  /** the latest period that may be recorded (the current month) */
  latestPeriod: string;
  /** may this actor write this measure at this org unit? null when it may */
  scopeProblem(measureCode: string, measure: KnownMeasure, orgUnit: KnownOrgUnit): string | null;
}

/** An observation's `source`, and an integration client's source system (its rows' default source). */
export const SOURCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;
const QUARTER_START_MONTHS = new Set(['01', '04', '07', '10']);
/**
 * The plausible periods: from January 2000 (before any of the trust's measures, so an earlier
 * date is a typo or a default such as 1900-01-01) to the current month (PERIOD_IN_FUTURE).
 * Every path that records observations (GraphQL, the CSV script, FHIR) comes through here.
 */
export const EARLIEST_PERIOD = '2000-01-01';

export function validateRows(rows: readonly IncomingRow[], context: RowContext): { valid: ValidRow[]; problems: RowProblem[] } {
  const valid: ValidRow[] = [];
  const problems: RowProblem[] = [];
  const seenKeys = new Map<string, number>();
  const seenExternalIds = new Map<string, number>();

  rows.forEach((row, index) => {
    const at = (field: string, code: string, message: string) => problems.push({ field: ['rows', String(index), field], code, message });
    const before = problems.length;

    const measure = context.measures.get(row.measureCode);
    if (!measure) at('measureCode', 'UNKNOWN_MEASURE', `No measure has code "${row.measureCode}"`);
    else if (measure.archived) at('measureCode', 'ARCHIVED', `Measure ${row.measureCode} is archived`);

    const orgUnit = context.orgUnits.get(row.orgUnitCode);
    if (!orgUnit) at('orgUnitCode', 'UNKNOWN_ORG_UNIT', `No org unit has code "${row.orgUnitCode}"`);
    else if (orgUnit.archived) at('orgUnitCode', 'ARCHIVED', `Org unit ${row.orgUnitCode} is archived`);

    if (!isPeriodStart(row.periodStart)) {
      at('periodStart', 'PERIOD_NOT_ALIGNED', `"${row.periodStart}" is not a period: name a month by its first day, YYYY-MM-01`);
    } else if (measure?.periodicity === 'QUARTER' && !QUARTER_START_MONTHS.has(row.periodStart.slice(5, 7))) {
      at('periodStart', 'PERIOD_NOT_ALIGNED', `${row.measureCode} is quarterly: periods start in January, April, July or October`);
    } else if (row.periodStart > context.latestPeriod) {
      at('periodStart', 'PERIOD_IN_FUTURE', `${row.periodStart} has not started yet`);
    } else if (row.periodStart < EARLIEST_PERIOD) {
      at('periodStart', 'PERIOD_TOO_EARLY', `${row.periodStart} is before January 2000, the earliest period recorded here: check the date`);
    }

    if (!SOURCE_PATTERN.test(row.source ?? '')) {
      at('source', 'INVALID', 'source names the sending system: 1 to 64 letters, digits and . _ : / -');
    }
    if (row.externalId != null && (row.externalId.length === 0 || row.externalId.length > 200)) {
      at('externalId', 'INVALID', 'externalId is 1 to 200 characters when given');
    }

    if (measure) {
      for (const p of validateComponents(measure.scoringType, { numerator: row.numerator, denominator: row.denominator })) {
        at(p.field, p.code, p.message);
      }
    }

    if (row.stratum != null) {
      const { stratifier, code } = row.stratum;
      if (!isStratifierKey(stratifier)) {
        at('stratum', 'UNKNOWN_STRATIFIER', `"${stratifier}" is not a stratifier: use one of ${STRATIFIER_KEYS.join(', ')}`);
      } else if (measure && !measure.stratifiers.includes(stratifier)) {
        at('stratum', 'STRATIFIER_NOT_DECLARED', `${row.measureCode} is not reported by ${stratifier}: its stratifiers are ${measure.stratifiers.join(', ') || 'none'}`);
      } else if (!stratumOf(stratifier, code)) {
        at('stratum', 'UNKNOWN_STRATUM', `"${code}" is not a ${stratifier} code: use one of ${STRATIFIERS[stratifier].strata.map((s) => s.code).join(', ')}`);
      }
    }

    if (measure && orgUnit) {
      const scope = context.scopeProblem(row.measureCode, measure, orgUnit);
      if (scope) problems.push({ field: ['rows', String(index)], code: 'FORBIDDEN', message: scope });
    }

    const stratumText = row.stratum ? ` (${row.stratum.stratifier} ${row.stratum.code})` : '';
    const key = `${row.measureCode}|${row.orgUnitCode}|${row.periodStart}|${row.stratum?.stratifier ?? ''}|${row.stratum?.code ?? ''}`;
    const firstWithKey = seenKeys.get(key);
    if (firstWithKey !== undefined) {
      at('periodStart', 'DUPLICATE_IN_BATCH', `Row ${firstWithKey} already gives ${row.measureCode} at ${row.orgUnitCode} for ${row.periodStart}${stratumText}`);
    } else seenKeys.set(key, index);
    if (row.externalId != null) {
      const externalKey = `${row.source}|${row.externalId}`;
      const firstWithExternal = seenExternalIds.get(externalKey);
      if (firstWithExternal !== undefined) {
        at('externalId', 'DUPLICATE_IN_BATCH', `Row ${firstWithExternal} already uses externalId "${row.externalId}" from ${row.source}`);
      } else seenExternalIds.set(externalKey, index);
    }

    if (problems.length === before && measure && orgUnit) {
      valid.push({
        index,
        measureId: measure.id,
        orgUnitId: orgUnit.id,
        periodStart: row.periodStart,
        numerator: row.numerator as number,
        denominator: measure.scoringType === 'COUNT' ? null : (row.denominator as number),
        source: row.source,
        externalId: row.externalId ?? null,
        stratifier: row.stratum?.stratifier ?? '',
        stratumCode: row.stratum?.code ?? '',
      });
    }
  });
  return { valid, problems };
}

export const MAX_IMPORT_ROWS = 10_000;

/** A problem with the batch as a whole (too many rows), which refuses every row; empty when there is none. */
export function batchProblems(rowCount: number): RowProblem[] {
  if (rowCount <= MAX_IMPORT_ROWS) return [];
  return [{ field: ['rows'], code: 'TOO_MANY_ROWS', message: `At most ${MAX_IMPORT_ROWS} rows a call; split the batch` }];
}

/**
 * How many rows problems refuse, each row once however many problems it has; a problem with
 * the call itself (e.g. too many rows) refuses all of them.
 */
export function rejectedRowCount(problems: ReadonlyArray<{ field: readonly string[] }>, rowCount: number): number {
  if (problems.some((p) => p.field[0] !== 'rows' || p.field[1] === undefined)) return rowCount;
  return new Set(problems.map((p) => p.field[1])).size;
}
