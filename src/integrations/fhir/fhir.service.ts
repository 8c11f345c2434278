import { seesTrueFigures } from '../../access/actor';
import type { Measure as MeasureRow, OrgUnit as OrgUnitRow } from '../../generated/prisma/client';
import type { RequestContext } from '../../graphql/context';
import type { UserErrorData } from '../../graphql/errors';
import { disclosureTables } from '../../board/disclosure-tables';
import { measureFromRow } from '../../measures/measure.type';
import { bucketKey, stratumCellKey, stratumSlot } from '../../statistics/disclosure-table';
import { shownFigures, suppressionReason, type DisclosureRule } from '../../statistics/suppression';
import { valueOf } from '../../statistics/scoring';
import { importObservations } from '../../observations/import-pipeline';
import { jsonRows, jsonRowsParam } from '../../db/json-rows';
import { importReferences, MEASURE_REFERENCE_SELECT } from '../../observations/import-prepare';
import type { ImportSummary } from '../../observations/import-summary';
import type { RowOutcome } from '../../observations/observation-writer';
import type { RowProblem } from '../../observations/row-validation';
import { ODS_ORGANIZATION_SYSTEM } from './fhir-common';
import { toFhirMeasure, type FhirMeasure, type MeasureDefinition } from './measure';
import { formatReportId, periodStartRange, type DateCriterion, type ReportId } from './fhir-search';
import {
  extractMeasureReports,
  mapMeasureReports,
  reportReferences,
  toFhirMeasureReport,
  type FhirMeasureReport,
  type ReporterKey,
  type ReportIssue,
  type ReportLookups,
  type ReportRow,
  type ReportStratum,
} from './measure-report';
import type { ImportCounts } from './operation-outcome';

/**
 * The FHIR endpoints' data access: reads for export, and imports that go through the import
 * pipeline (`importObservations`) like every other write of observations (same validation,
 * scope, idempotency, revisions and rollups). The measures and org units read to map the
 * reports are handed to the pipeline, which then reads them no more.
 */

/** What became of one posted report (a Bundle entry, or the lone report: entry null). */
export interface EntryResult {
  entry: number | null;
  /** what its rows did: created if any row was new, else updated if any changed, else unchanged; or rejected */
  outcome: RowOutcome | 'rejected';
  /** `unit-<measure>-<unit>-<YYYY-MM>`: the report as stored, to read back (fhir-search.ts); null when rejected */
  reportId: string | null;
  issues: ReportIssue[];
}

export type FhirImportResult = (
  | { accepted: true; counts: ImportCounts; rejected: ReportIssue[]; entries: EntryResult[] }
  | { accepted: false; issues: ReportIssue[] }
) & {
  /** the Bundle's type, or null for a lone MeasureReport */
  bundleType: string | null;
  /** the pipeline's summary of the import (null when no row reached it), for the caller's log line and metrics */
  summary: ImportSummary | null;
};

function measureDefinition(row: MeasureRow): MeasureDefinition {
  return {
    code: row.code,
    name: row.name,
    description: row.description,
    scoringType: row.scoringType,
    improvementDirection: row.improvementDirection,
    multiplier: row.multiplier,
    unit: row.unit,
    periodicity: row.periodicity,
    numeratorLabel: row.numeratorLabel,
    denominatorLabel: row.denominatorLabel,
    archived: row.archivedAt !== null,
    version: row.version,
    stratifiers: row.stratifiers,
  };
}

const isOdsSystem = (key: ReporterKey) => key.system === ODS_ORGANIZATION_SYSTEM;
const isOrgUnitCodeSystem = (key: ReporterKey) => key.system === null || key.system.endsWith('/Id/org-unit-code');

/**
 * Finds the org units reporter identifiers name: by ODS code (a trust's code is its ODS code
 * too) or by our code. `units` are all the rows read, `unitFor` the one a key names.
 */
async function orgUnitsFor(ctx: RequestContext, keys: readonly ReporterKey[]): Promise<{ units: OrgUnitRow[]; unitFor: (key: ReporterKey) => OrgUnitRow | null }> {
  const values = [...new Set(keys.map((k) => k.value))];
  const units = values.length === 0 ? [] : await ctx.prisma.orgUnit.findMany({ where: { OR: [{ code: { in: values } }, { odsCode: { in: values } }] } });
  const byCode = new Map(units.map((u) => [u.code, u]));
  const byOds = new Map(units.filter((u) => u.odsCode).map((u) => [u.odsCode as string, u]));
  const unitFor = (key: ReporterKey) => {
    if (isOdsSystem(key)) return byOds.get(key.value) ?? byCode.get(key.value) ?? null;
    if (isOrgUnitCodeSystem(key)) return byCode.get(key.value) ?? null;
    return null;
  };
  return { units, unitFor };
}

function rowProblemToIssue(problem: RowProblem | UserErrorData, rows: readonly ReportRow[], fallbackPath: string): ReportIssue {
  const [head, index, field] = problem.field;
  const row = head === 'rows' && index !== undefined ? rows[Number(index)] : undefined;
  if (!row) return { expression: fallbackPath, entry: null, code: problem.code, message: problem.message };
  const expression = (field ? row.expressions[field as keyof ReportRow['expressions']] : undefined) ?? row.path;
  return { expression, entry: row.entry, code: problem.code, message: problem.message };
}

export async function importFhirReports(ctx: RequestContext, json: unknown, options: { dryRun: boolean }): Promise<FhirImportResult> {
  const extracted = extractMeasureReports(json);
  const bundleType = extracted.bundleType;
  const wholeBodyProblems = extracted.issues.filter((i) => i.entry === null);
  if (wholeBodyProblems.length > 0) return { accepted: false, issues: extracted.issues, summary: null, bundleType };

  // Prepared once: the measures and org units the reports name, read here to map the reports
  // and handed on to the pipeline, which would otherwise read them again.
  const references = reportReferences(extracted.reports);
  const [measures, { units, unitFor }] = await Promise.all([
    ctx.prisma.measure.findMany({ where: { code: { in: references.measureCodes } }, select: MEASURE_REFERENCE_SELECT }),
    orgUnitsFor(ctx, references.reporters),
  ]);
  const measureByCode = new Map(measures.map((m) => [m.code, m]));
  const unitByCode = new Map(units.map((u) => [u.code, u]));
  const lookups: ReportLookups = {
    measureByCode: (code) => measureByCode.get(code) ?? null,
    orgUnitCode: (key) => unitFor(key)?.code ?? null,
  };
  const mapped = mapMeasureReports(extracted.reports, lookups, { source: ctx.actor.sourceSystem ?? 'fhir' });
  const unreadable = [...extracted.issues, ...mapped.issues];
  const prepared = importReferences(measures, units);
  const importRows = (list: readonly ReportRow[], importOptions: { dryRun: boolean; allOrNothing: boolean }) =>
    list.length > 0 ? importObservations(ctx, list.map((r) => r.row), { ...importOptions, references: prepared }) : Promise.resolve(null);
  const issuesOf = (list: readonly ReportRow[], summary: ImportSummary | null) =>
    [...(summary?.rejectedRows ?? []), ...(summary?.userErrors ?? [])].map((problem) => rowProblemToIssue(problem, list, bundleType ? 'Bundle' : 'MeasureReport'));
  // A batch is processed entry by entry (FHIR batch semantics); anything else is all or nothing.
  const partial = bundleType === 'batch';

  if (!partial && unreadable.length > 0) {
    // Refused whole; still dry-run the readable entries so every problem is reported at once.
    const check = await importRows(mapped.rows, { dryRun: true, allOrNothing: false });
    return { accepted: false, issues: [...unreadable, ...issuesOf(mapped.rows, check)], summary: check, bundleType };
  }

  let written = mapped.rows;
  let summary: ImportSummary | null;
  const rejected = [...unreadable];
  const entriesWithManyRows = new Set(mapped.rows.map((r) => r.entry)).size < mapped.rows.length;
  if (partial && entriesWithManyRows) {
    // A stratified report is several rows: it is written whole or not at all, so a first pass
    // (a dry run) finds the entries with any problem and the second writes the rest, all or nothing.
    const check = await importRows(mapped.rows, { dryRun: true, allOrNothing: false });
    const checkIssues = issuesOf(mapped.rows, check);
    const bad = new Set(checkIssues.map((i) => i.entry));
    rejected.push(...checkIssues);
    written = mapped.rows.filter((r) => !bad.has(r.entry));
    summary = await importRows(written, { dryRun: options.dryRun, allOrNothing: true });
    if (summary && !summary.accepted) {
      // Something changed between the passes (another import): the entries left are refused with its reasons.
      rejected.push(...issuesOf(written, summary));
      written = [];
    }
  } else {
    summary = await importRows(written, { dryRun: options.dryRun, allOrNothing: !partial });
    if (summary && !summary.accepted) return { accepted: false, issues: [...unreadable, ...issuesOf(written, summary)], summary, bundleType };
    rejected.push(...issuesOf(written, summary));
  }

  const rejectedEntries = new Set(rejected.map((i) => i.entry));
  const rowsByEntry = new Map<number | null, number[]>();
  written.forEach((row, index) => rowsByEntry.set(row.entry, [...(rowsByEntry.get(row.entry) ?? []), index]));
  const entryIndexes = bundleType ? (Array.isArray((json as { entry?: unknown[] }).entry) ? (json as { entry: unknown[] }).entry.map((_, i) => i) : []) : [null];
  const accepted = summary?.accepted ? summary : null;
  const entries: EntryResult[] = entryIndexes.map((entry) => {
    const issues = rejected.filter((i) => i.entry === entry);
    const rowIndexes = rowsByEntry.get(entry) ?? [];
    if (issues.length > 0 || rejectedEntries.has(entry) || rowIndexes.length === 0 || !accepted) return { entry, outcome: 'rejected', reportId: null, issues };
    const outcomes = rowIndexes.map((i) => accepted.rowOutcomes.get(i));
    const outcome: RowOutcome = outcomes.includes('created') ? 'created' : outcomes.includes('updated') ? 'updated' : 'unchanged';
    const row = written[rowIndexes[0]].row;
    const measureId = measureByCode.get(row.measureCode)?.id as number;
    const orgUnitId = unitByCode.get(row.orgUnitCode)?.id as number;
    return { entry, outcome, reportId: formatReportId({ pooling: 'unit', measureId, orgUnitId, periodStart: row.periodStart }), issues: [] };
  });
  const counts: ImportCounts = {
    reports: extracted.reports.length + extracted.issues.length,
    created: accepted?.created ?? 0,
    updated: accepted?.updated ?? 0,
    unchanged: accepted?.unchanged ?? 0,
    rejected: entries.filter((e) => e.outcome === 'rejected').length,
    dryRun: options.dryRun,
  };
  // A batch is answered entry by entry even when every entry failed; anything else with nothing accepted is refused.
  if (!partial && counts.created + counts.updated + counts.unchanged === 0 && rejected.length > 0) return { accepted: false, issues: rejected, summary, bundleType };
  return { accepted: true, counts, rejected, entries, summary, bundleType };
}

// ---------------------------------------------------------------------------------------
// Measure: read and search
// ---------------------------------------------------------------------------------------

export async function findMeasure(ctx: RequestContext, code: string, base: string): Promise<FhirMeasure | null> {
  const row = await ctx.prisma.measure.findUnique({ where: { code } });
  return row ? toFhirMeasure(measureDefinition(row), base) : null;
}

export interface MeasureSearch {
  /** measure codes (from _id, url or identifier); null: any */
  codes: string[] | null;
  status: 'active' | 'retired' | null;
  count: number;
  offset: number;
}

/** Measures are shared by every trust: the same list for every reader. Two statements (count and page). */
export async function searchMeasures(ctx: RequestContext, search: MeasureSearch, base: string): Promise<{ total: number; measures: FhirMeasure[] }> {
  const where = {
    ...(search.codes ? { code: { in: search.codes } } : {}),
    ...(search.status === 'active' ? { archivedAt: null } : search.status === 'retired' ? { archivedAt: { not: null } } : {}),
  };
  const total = await ctx.prisma.measure.count({ where });
  const rows = search.count === 0 || total <= search.offset ? [] : await ctx.prisma.measure.findMany({ where, orderBy: { code: 'asc' }, skip: search.offset, take: search.count });
  return { total, measures: rows.map((row) => toFhirMeasure(measureDefinition(row), base)) };
}

// ---------------------------------------------------------------------------------------
// MeasureReport: read and search
// ---------------------------------------------------------------------------------------

export interface ReportSearch {
  /** measure codes; null: every measure */
  measureCodes: string[] | null;
  /** the org unit reported on; null: every unit the reader may see */
  unit: ReporterKey | null;
  period: DateCriterion[];
  /** true: pooled over each unit's subtree (the rollup); false: the unit's own observation */
  pooled: boolean;
  count: number;
  offset: number;
}

export interface ReportPage {
  total: number;
  reports: FhirMeasureReport[];
  /** why the search matched nothing, when it named a measure or an org unit we do not know */
  warnings: string[];
}

interface Cell {
  measureId: number;
  orgUnitId: number;
  /** YYYY-MM-DD */
  periodStart: string;
  numerator: number;
  denominator: number | null;
  contributors: number;
  externalId: string | null;
}

type UnitRow = Pick<OrgUnitRow, 'id' | 'code' | 'name' | 'odsCode' | 'path'>;
const UNIT_SELECT = { id: true, code: true, name: true, odsCode: true, path: true } as const;
const dateOf = (periodStart: string) => new Date(`${periodStart}T00:00:00Z`);
const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const cellKey = (c: { measureId: number; orgUnitId: number; periodStart: string }) => `${c.measureId}|${c.orgUnitId}|${c.periodStart}`;

/**
 * Reports matching a search, a page at a time, in period, measure and org-unit order. The
 * org units are read through the trust-scoped client first, and only their cells are read
 * (the rollup table is not trust-scoped): another trust's unit is "no org unit", word for
 * word as one that does not exist. Bounded statements: measures, units, count, page, then for
 * the page the disclosure tables (one, batched) and the rollups or strata beside it.
 */
export async function searchMeasureReports(ctx: RequestContext, search: ReportSearch, base: string): Promise<ReportPage> {
  const warnings: string[] = [];
  const [measures, units] = await Promise.all([
    search.measureCodes ? ctx.prisma.measure.findMany({ where: { code: { in: search.measureCodes } } }) : ctx.prisma.measure.findMany(),
    search.unit ? orgUnitsFor(ctx, [search.unit]).then(({ unitFor }) => [unitFor(search.unit as ReporterKey)].filter((u): u is OrgUnitRow => u !== null)) : ctx.prisma.orgUnit.findMany({ select: UNIT_SELECT }),
  ]);
  for (const code of search.measureCodes ?? []) if (!measures.some((m) => m.code === code)) warnings.push(`No measure has code "${code}"`);
  if (search.unit && units.length === 0) warnings.push(`No org unit is identified by ${search.unit.system ? `${search.unit.system}|` : ''}${search.unit.value}`);

  // One range of period starts per periodicity: a quarter and a month meet the same criteria differently.
  const clauses = (['MONTH', 'QUARTER'] as const).flatMap((periodicity) => {
    const ids = measures.filter((m) => m.periodicity === periodicity).map((m) => m.id);
    const range = ids.length > 0 ? periodStartRange(search.period, periodicity === 'QUARTER' ? 3 : 1) : 'empty';
    if (range === 'empty') return [];
    const periodStart = { ...(range.from ? { gte: dateOf(range.from) } : {}), ...(range.to ? { lte: dateOf(range.to) } : {}) };
    return [{ measureId: { in: ids }, ...(range.from || range.to ? { periodStart } : {}) }];
  });
  if (clauses.length === 0 || units.length === 0) return { total: 0, reports: [], warnings };
  const found = await cellsWhere(ctx, { orgUnitIds: units.map((u) => u.id), clauses, pooled: search.pooled, count: search.count, offset: search.offset });
  const reports = await reportsFor(ctx, found.cells, new Map(measures.map((m) => [m.id, m])), new Map(units.map((u) => [u.id, u])), search.pooled, base);
  return { total: found.total, reports, warnings };
}

/** `GET /MeasureReport/<id>`: the cell the id names, or null (no such measure, unit the reader may see, or data). */
export async function readMeasureReport(ctx: RequestContext, id: ReportId, base: string): Promise<FhirMeasureReport | null> {
  const [measure, unit] = await Promise.all([
    ctx.prisma.measure.findUnique({ where: { id: id.measureId } }),
    ctx.prisma.orgUnit.findFirst({ where: { id: id.orgUnitId }, select: UNIT_SELECT }),
  ]);
  if (!measure || !unit) return null;
  const found = await cellsWhere(ctx, {
    orgUnitIds: [unit.id],
    clauses: [{ measureId: { in: [measure.id] }, periodStart: { gte: dateOf(id.periodStart), lte: dateOf(id.periodStart) } }],
    pooled: id.pooling === 'subtree',
    count: 1,
    offset: 0,
  });
  const [report] = await reportsFor(ctx, found.cells, new Map([[measure.id, measure]]), new Map([[unit.id, unit]]), id.pooling === 'subtree', base);
  return report ?? null;
}

type CellClause = { measureId: { in: number[] }; periodStart?: { gte?: Date; lte?: Date } };

async function cellsWhere(
  ctx: RequestContext,
  query: { orgUnitIds: number[]; clauses: CellClause[]; pooled: boolean; count: number; offset: number },
): Promise<{ total: number; cells: Cell[] }> {
  const orderBy = [{ periodStart: 'asc' as const }, { measureId: 'asc' as const }, { orgUnitId: 'asc' as const }];
  if (query.pooled) {
    // A rollup with no contributors is no data; a COUNT's rollup keeps 0 as its unused denominator.
    const where = { orgUnitId: { in: query.orgUnitIds }, contributors: { gt: 0 }, OR: query.clauses };
    const total = await ctx.prisma.observationRollup.count({ where });
    const rows = query.count === 0 || total <= query.offset ? [] : await ctx.prisma.observationRollup.findMany({ where, orderBy, skip: query.offset, take: query.count });
    return {
      total,
      cells: rows.map((r) => ({ measureId: r.measureId, orgUnitId: r.orgUnitId, periodStart: isoDay(r.periodStart), numerator: r.numerator, denominator: r.denominator, contributors: r.contributors, externalId: null })),
    };
  }
  // The whole population's row; its strata travel inside the report.
  const where = { orgUnitId: { in: query.orgUnitIds }, stratifier: '', stratumCode: '', OR: query.clauses };
  const total = await ctx.prisma.observation.count({ where });
  const rows = query.count === 0 || total <= query.offset ? [] : await ctx.prisma.observation.findMany({ where, orderBy, skip: query.offset, take: query.count });
  return {
    total,
    cells: rows.map((r) => ({ measureId: r.measureId, orgUnitId: r.orgUnitId, periodStart: isoDay(r.periodStart), numerator: r.numerator, denominator: r.denominator, contributors: 1, externalId: r.externalId })),
  };
}

/**
 * A unit's own strata for a reader under disclosure control. A stratum is a small cell: whether
 * it may be shown depends on the whole, its siblings, the tree and the calendar, which the
 * measure's one disclosure table has decided (its stratum cells, pooled over the subtree). Only
 * called where the unit's own whole is its pooled figure (no figures below it), so its own
 * strata are the pooled ones the table judged. A hidden stratum is sent masked, like a hidden
 * whole; a shown one rounded, with its value computed from the rounded components.
 */
export function stratifiersForControlledReader(
  measure: MeasureRow,
  rule: DisclosureRule,
  unitId: number,
  periodStart: string,
  own: readonly ReportStratum[],
  table: { suppression(unitId: number, key: string): unknown },
): ReportStratum[] {
  const month = bucketKey('MONTH', periodStart);
  return own.map((s) => {
    const components = { numerator: s.numerator as number, denominator: measure.scoringType === 'COUNT' ? null : s.denominator, contributors: 1 };
    const hidden =
      table.suppression(unitId, stratumCellKey(month, stratumSlot(s.stratifier, s.code))) !== null ||
      suppressionReason(measure.scoringType, components, rule) !== null;
    if (hidden) return { stratifier: s.stratifier, code: s.code, numerator: null, denominator: null, shownValue: null };
    const shown = shownFigures(measure.scoringType, components, measure.multiplier, rule);
    return { stratifier: s.stratifier, code: s.code, numerator: shown.numerator, denominator: shown.denominator, shownValue: shown.value };
  });
}

async function reportsFor(ctx: RequestContext, cells: readonly Cell[], measureById: Map<number, MeasureRow>, unitById: Map<number, UnitRow>, pooled: boolean, base: string): Promise<FhirMeasureReport[]> {
  if (cells.length === 0) return [];
  const controlled = (cell: Cell) => !seesTrueFigures(ctx.actor, (unitById.get(cell.orgUnitId) as UnitRow).path);
  const controlledCells = cells.filter(controlled);
  // The page's exact keys as one parameter (a superset by measure × unit × period could read far more);
  // raw SQL by ids already resolved through the trust-scoped client.
  const keysParam = (list: readonly Cell[]) => jsonRowsParam(list.map((c) => [c.measureId, c.orgUnitId, c.periodStart]));
  const keys = jsonRows('$1', [['m', 'int'], ['u', 'int'], ['p', 'date']]);
  type KeyedRow = { measure_id: number; org_unit_id: number; period: string };

  const [tables, rollups, strata] = await Promise.all([
    // Same rule and the same disclosure table as the board (one batched load for the page's measures).
    Promise.all([...new Set(controlledCells.map((c) => c.measureId))].map(async (id) => [id, await disclosureTables(ctx).load(measureFromRow(measureById.get(id) as MeasureRow))] as const)).then((list) => new Map(list)),
    // A unit's own observation is shown under control only where it is the pooled figure the board shows.
    !pooled && controlledCells.length > 0
      ? ctx.prisma.$queryRawUnsafe<Array<KeyedRow & { numerator: number; denominator: number }>>(
          `SELECT r.measure_id, r.org_unit_id, to_char(r.period_start, 'YYYY-MM-DD') AS period, r.numerator, r.denominator
           FROM ${keys} AS k JOIN observation_rollup r ON r.measure_id = k.m AND r.org_unit_id = k.u AND r.period_start = k.p`,
          keysParam(controlledCells),
        )
      : Promise.resolve([]),
    // A unit's own strata (under disclosure control, judged by the table below); pooled strata are the equality lens's (Measure.equality).
    !pooled && cells.length > 0
      ? ctx.prisma.$queryRawUnsafe<Array<KeyedRow & { stratifier: string; stratum_code: string; numerator: number; denominator: number | null }>>(
          `SELECT o.measure_id, o.org_unit_id, to_char(o.period_start, 'YYYY-MM-DD') AS period, o.stratifier, o.stratum_code, o.numerator, o.denominator
           FROM ${keys} AS k JOIN observation o ON o.measure_id = k.m AND o.org_unit_id = k.u AND o.period_start = k.p AND o.stratifier <> ''`,
          keysParam(cells),
        )
      : Promise.resolve([]),
  ]);
  const keyOf = (r: KeyedRow) => cellKey({ measureId: r.measure_id, orgUnitId: r.org_unit_id, periodStart: r.period });
  const rollupByKey = new Map(rollups.map((r) => [keyOf(r), { numerator: r.numerator, denominator: r.denominator }]));
  const strataByKey = new Map<string, ReportStratum[]>();
  for (const s of strata) {
    const key = keyOf(s);
    const list = strataByKey.get(key) ?? [];
    list.push({ stratifier: s.stratifier, code: s.stratum_code, numerator: s.numerator, denominator: s.denominator });
    strataByKey.set(key, list);
  }

  const generatedAt = new Date();
  return cells.map((cell) => {
    const measure = measureById.get(cell.measureId) as MeasureRow;
    const unit = unitById.get(cell.orgUnitId) as UnitRow;
    const isControlled = controlled(cell);
    const components = { numerator: cell.numerator, denominator: measure.scoringType === 'COUNT' ? null : cell.denominator };
    let controlledStrata: ReportStratum[] | null = null;
    let figures = { numerator: components.numerator as number | null, denominator: components.denominator, value: valueOf(measure.scoringType, components, measure.multiplier) };
    if (isControlled) {
      // True figures only for those who may see them at this unit; for everyone else a cell is hidden exactly when the board hides it.
      const definition = measureFromRow(measure);
      const table = tables.get(measure.id) as Awaited<ReturnType<ReturnType<typeof disclosureTables>['load']>>;
      const pooledCell = pooled ? cell : rollupByKey.get(cellKey(cell));
      // A unit's own observation beside its children's is not a figure the board shows: only pooled ones are.
      const sameAsPooled = pooledCell !== undefined && pooledCell.numerator === components.numerator && (measure.scoringType === 'COUNT' || pooledCell.denominator === components.denominator);
      const hidden = !sameAsPooled || table.suppression(unit.id, bucketKey('MONTH', cell.periodStart)) !== null;
      const shown = hidden ? { value: null, numerator: null, denominator: null } : shownFigures(measure.scoringType, { ...components, contributors: cell.contributors }, measure.multiplier, definition.disclosureRule);
      figures = { numerator: shown.numerator, denominator: shown.denominator, value: shown.value };
      // Strata only beside a whole that is its pooled figure (a unit with nothing below it).
      controlledStrata = sameAsPooled ? stratifiersForControlledReader(measure, definition.disclosureRule, unit.id, cell.periodStart, strataByKey.get(cellKey(cell)) ?? [], table) : [];
    }
    return toFhirMeasureReport(
      {
        id: formatReportId({ pooling: pooled ? 'subtree' : 'unit', measureId: measure.id, orgUnitId: unit.id, periodStart: cell.periodStart }),
        measure: measureDefinition(measure),
        orgUnit: { code: unit.code, name: unit.name, odsCode: unit.odsCode },
        periodStart: cell.periodStart,
        figures,
        pooling: pooled ? 'subtree' : 'unit',
        contributors: cell.contributors,
        disclosureControlled: isControlled,
        generatedAt,
        externalId: isControlled ? null : cell.externalId,
        strata: controlledStrata ?? strataByKey.get(cellKey(cell)) ?? [],
      },
      base,
    );
  });
}
