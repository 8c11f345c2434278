import { seesTrueFigures } from '../../access/actor';
import type { Measure as MeasureRow, OrgUnit as OrgUnitRow } from '../../generated/prisma/client';
import type { RequestContext } from '../../graphql/context';
import type { UserErrorData } from '../../graphql/errors';
import { disclosureTables } from '../../board/disclosure-tables';
import { measureFromRow } from '../../measures/measure.type';
import { bucketKey } from '../../statistics/disclosure-table';
import { shownFigures } from '../../statistics/suppression';
import { valueOf } from '../../statistics/scoring';
import { importObservations } from '../../observations/import-pipeline';
import { importReferences, MEASURE_REFERENCE_SELECT } from '../../observations/import-prepare';
import type { ImportSummary } from '../../observations/import-summary';
import type { RowProblem } from '../../observations/row-validation';
import { ODS_ORGANIZATION_SYSTEM } from './fhir-common';
import { toFhirMeasure, type FhirMeasure, type MeasureDefinition } from './measure';
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
} from './measure-report';
import type { ImportCounts } from './operation-outcome';

/**
 * The FHIR endpoints' data access: reads for export, and imports that go through the import
 * pipeline (`importObservations`) like every other write of observations (same validation,
 * scope, idempotency, revisions and rollups). The measures and org units read to map the
 * reports are handed to the pipeline, which then reads them no more.
 */

export type FhirImportResult = (
  | { accepted: true; counts: ImportCounts; rejected: ReportIssue[] }
  | { accepted: false; issues: ReportIssue[] }
) & {
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
  const wholeBodyProblems = extracted.issues.filter((i) => i.entry === null);
  if (wholeBodyProblems.length > 0) return { accepted: false, issues: extracted.issues, summary: null };

  // Prepared once: the measures and org units the reports name, read here to map the reports
  // and handed on to the pipeline, which would otherwise read them again.
  const references = reportReferences(extracted.reports);
  const [measures, { units, unitFor }] = await Promise.all([
    ctx.prisma.measure.findMany({ where: { code: { in: references.measureCodes } }, select: MEASURE_REFERENCE_SELECT }),
    orgUnitsFor(ctx, references.reporters),
  ]);
  const measureByCode = new Map(measures.map((m) => [m.code, m]));
  const lookups: ReportLookups = {
    measureByCode: (code) => measureByCode.get(code) ?? null,
    orgUnitCode: (key) => unitFor(key)?.code ?? null,
  };
  const mapped = mapMeasureReports(extracted.reports, lookups, { source: ctx.actor.sourceSystem ?? 'fhir' });
  const unreadable = [...extracted.issues, ...mapped.issues];
  const rows = mapped.rows.map((r) => r.row);
  const prepared = importReferences(measures, units);
  const importRows = (importOptions: { dryRun: boolean; allOrNothing: boolean }) =>
    rows.length > 0 ? importObservations(ctx, rows, { ...importOptions, references: prepared }) : Promise.resolve(null);
  const toIssue = (problem: RowProblem | UserErrorData) => rowProblemToIssue(problem, mapped.rows, extracted.bundleType ? 'Bundle' : 'MeasureReport');
  // A batch is processed entry by entry (FHIR batch semantics); anything else is all or nothing.
  const partial = extracted.bundleType === 'batch';

  if (!partial && unreadable.length > 0) {
    // Refused whole; still dry-run the readable entries so every problem is reported at once.
    const check = await importRows({ dryRun: true, allOrNothing: false });
    const more = [...(check?.rejectedRows ?? []), ...(check?.userErrors ?? [])].map(toIssue);
    return { accepted: false, issues: [...unreadable, ...more], summary: check };
  }
  const summary = await importRows({ dryRun: options.dryRun, allOrNothing: !partial });
  if (summary && !summary.accepted) {
    return { accepted: false, issues: [...unreadable, ...summary.userErrors.map(toIssue)], summary };
  }
  const rejected = [...unreadable, ...(summary?.rejectedRows ?? []).map(toIssue)];
  const counts: ImportCounts = {
    reports: extracted.reports.length + extracted.issues.length,
    created: summary?.created ?? 0,
    updated: summary?.updated ?? 0,
    unchanged: summary?.unchanged ?? 0,
    rejected: new Set(rejected.map((i) => i.entry)).size,
    dryRun: options.dryRun,
  };
  if (counts.created + counts.updated + counts.unchanged === 0 && rejected.length > 0) return { accepted: false, issues: rejected, summary };
  return { accepted: true, counts, rejected, summary };
}

export async function findMeasure(ctx: RequestContext, code: string, base: string): Promise<FhirMeasure | null> {
  const row = await ctx.prisma.measure.findUnique({ where: { code } });
  return row ? toFhirMeasure(measureDefinition(row), base) : null;
}

export interface MeasureReportQuery {
  measureCode: string;
  orgUnit: ReporterKey;
  periodStart: string;
  /** true: pooled over the unit's subtree (the rollup); false: the unit's own observation */
  pooled: boolean;
}

export type MeasureReportLookup = { found: true; report: FhirMeasureReport } | { found: false; what: string };

export async function findMeasureReport(ctx: RequestContext, query: MeasureReportQuery, base: string): Promise<MeasureReportLookup> {
  const [measure, { unitFor }] = await Promise.all([ctx.prisma.measure.findUnique({ where: { code: query.measureCode } }), orgUnitsFor(ctx, [query.orgUnit])]);
  if (!measure) return { found: false, what: `No measure has code "${query.measureCode}"` };
  const unit = unitFor(query.orgUnit);
  if (!unit) return { found: false, what: `No org unit is identified by ${query.orgUnit.system ? `${query.orgUnit.system}|` : ''}${query.orgUnit.value}` };

  const key = { measureId: measure.id, orgUnitId: unit.id, periodStart: new Date(`${query.periodStart}T00:00:00Z`) };
  let components: { numerator: number; denominator: number | null; contributors: number; externalId: string | null } | null = null;
  if (query.pooled) {
    const rollup = await ctx.prisma.observationRollup.findUnique({ where: { measureId_orgUnitId_periodStart: key } });
    if (rollup && rollup.contributors > 0) {
      // A rollup keeps 0 as the unused denominator of a COUNT.
      components = { numerator: rollup.numerator, denominator: measure.scoringType === 'COUNT' ? null : rollup.denominator, contributors: rollup.contributors, externalId: null };
    }
  } else {
    // The whole population's row (strata are reported with the equality lens, not here).
    const observation = await ctx.prisma.observation.findUnique({ where: { measureId_orgUnitId_periodStart_stratifier_stratumCode: { ...key, stratifier: '', stratumCode: '' } } });
    if (observation) components = { numerator: observation.numerator, denominator: observation.denominator, contributors: 1, externalId: observation.externalId };
  }
  if (!components) {
    return { found: false, what: `No ${query.pooled ? 'data in the subtree of' : 'observation of'} ${unit.code} for ${measure.code} in the period starting ${query.periodStart}` };
  }

  // Same rule and the same disclosure table as the board: true figures only for those who may
  // see them at this unit; for everyone else a cell is hidden exactly when the board hides it.
  const controlled = !seesTrueFigures(ctx.actor, unit.path);
  let figures = { numerator: components.numerator as number | null, denominator: components.denominator, value: valueOf(measure.scoringType, components, measure.multiplier) };
  if (controlled) {
    const definition = measureFromRow(measure);
    const table = await disclosureTables(ctx).load(definition);
    const cell = await ctx.prisma.observationRollup.findUnique({ where: { measureId_orgUnitId_periodStart: key } });
    // A unit's own observation beside its children's is not a figure the board shows: only pooled ones are.
    const sameAsPooled = cell !== null && cell.numerator === components.numerator && (measure.scoringType === 'COUNT' || cell.denominator === components.denominator);
    const hidden = !sameAsPooled || table.suppression(unit.id, bucketKey('MONTH', query.periodStart)) !== null;
    const shown = hidden ? { value: null, numerator: null, denominator: null } : shownFigures(measure.scoringType, components, measure.multiplier, definition.disclosureRule);
    figures = { numerator: shown.numerator, denominator: shown.denominator, value: shown.value };
  }
  const report = toFhirMeasureReport(
    {
      measure: measureDefinition(measure),
      orgUnit: { code: unit.code, name: unit.name, odsCode: unit.odsCode },
      periodStart: query.periodStart,
      figures,
      pooling: query.pooled ? 'subtree' : 'unit',
      contributors: components.contributors,
      disclosureControlled: controlled,
      generatedAt: new Date(),
      externalId: controlled ? null : components.externalId,
    },
    base,
  );
  return { found: true, report };
}

