import type { RequestContext } from '../graphql/context';
import { badInput, notFound } from '../graphql/errors';
import { pageFromArray, pageRequest, type ConnectionArgs } from '../graphql/connection';
import { measureFromRow, type Measure } from '../measures/measure.type';
import { orgUnitFromRow, type OrgUnit } from '../organisation/org-unit.type';
import type { Principle } from '../principles/principle.type';
import { workstreamFromRow, type Workstream } from '../workstreams/workstream.type';
import { computeCoverage, type CoverageUnit, type Gap, type LatestData } from './coverage';
import type { Coverage, CoverageGap } from './coverage.type';
import { orgUnitLoaders } from '../organisation/org-unit.loaders';
import { principleLoaders } from '../principles/principle.loaders';
import { workstreamLoaders } from '../workstreams/workstream.loaders';
import { measureLoaders } from '../measures/measure.loaders';

const MAX_DEPTH_BELOW = 8;

function toDate(period: string | null): Date | null {
  return period === null ? null : new Date(`${period}T00:00:00.000Z`);
}

interface LatestRow {
  measure_id: number;
  org_unit_id: number;
  latest: Date;
  /** true: the latest stratified observation in the root's subtree (the equality lens) */
  strata: boolean;
}

/**
 * The latest pooled period of each live measure at the root and at each column of the page, in
 * one statement read from the rollups: at the root by aggregating its rows (a few per measure
 * and month), at the columns by one backward probe of the rollups' primary key per (column,
 * measure), so a wide matrix never scans the columns' whole histories, and a page of columns
 * probes only its own.
 */
async function latestPooledPeriods(ctx: RequestContext, root: OrgUnit, columnIds: readonly number[]): Promise<{ latest: LatestData[]; latestStrata: Array<{ measureId: number; latestPeriod: string }> }> {
  const rows = await ctx.prisma.$queryRawUnsafe<LatestRow[]>(
    `SELECT measure_id, org_unit_id, max(period_start) AS latest, false AS strata FROM observation_rollup WHERE org_unit_id = $1 GROUP BY 1, 2
     UNION ALL
     SELECT m.id, c.id, l.latest, false
     FROM unnest($2::int[]) AS c(id)
     CROSS JOIN measure m
     CROSS JOIN LATERAL (SELECT max(x.period_start) AS latest FROM observation_rollup x WHERE x.measure_id = m.id AND x.org_unit_id = c.id) l
     WHERE c.id <> $1 AND m.archived_at IS NULL AND l.latest IS NOT NULL
     UNION ALL
     -- Strata are not rolled up: the latest stratified observation in the subtree, for the measures reported by stratifiers.
     SELECT m.id, $1, l.latest, true
     FROM measure m
     CROSS JOIN LATERAL (
       SELECT max(o.period_start) AS latest FROM observation o JOIN org_unit u ON u.id = o.org_unit_id
       WHERE o.measure_id = m.id AND o.stratifier <> '' AND u.path LIKE $3 || '%'
     ) l
     WHERE m.archived_at IS NULL AND cardinality(m.stratifiers) > 0 AND l.latest IS NOT NULL`,
    root.dbId,
    [...columnIds],
    root.path,
  );
  return {
    latest: rows.filter((row) => !row.strata).map((row) => ({ measureId: Number(row.measure_id), orgUnitId: Number(row.org_unit_id), latestPeriod: toPeriod(row.latest) })),
    latestStrata: rows.filter((row) => row.strata).map((row) => ({ measureId: Number(row.measure_id), latestPeriod: toPeriod(row.latest) })),
  };
}

function toPeriod(value: Date | string): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
}

function unitOf(unit: OrgUnit): CoverageUnit {
  return { id: unit.dbId, path: unit.path, type: unit.type, parentId: unit.parentId };
}

/**
 * The coverage matrix of an org unit's subtree, one page of its columns. Everything it needs comes from a fixed set of
 * set-based queries (units of the subtree, live workstreams with their links, live measures
 * with their principles, the latest pooled period per measure at the root and the columns),
 * whatever the size of the map; the decisions are made by the pure computeCoverage.
 */
export async function coverageFor(ctx: RequestContext, orgUnitCode: string, depth: number | null | undefined, columnPage: ConnectionArgs = {}): Promise<Coverage> {
  pageRequest(columnPage); // a bad page size is refused before any read
  const root = await orgUnitLoaders(ctx).orgUnitByCode.load(orgUnitCode);
  if (!root) throw notFound(`No org unit has code "${orgUnitCode}"`);
  const columnDepth = depth ?? root.depth + 1;
  if (!Number.isInteger(columnDepth) || columnDepth < root.depth || columnDepth > root.depth + MAX_DEPTH_BELOW) {
    throw badInput(`\`depth\` is a tree depth from ${root.depth} (${root.code} itself) to ${root.depth + MAX_DEPTH_BELOW}`, 'depth');
  }

  const [unitRows, principles, workstreamRows, measureRows] = await Promise.all([
    ctx.prisma.orgUnit.findMany({ where: { path: { startsWith: root.path }, archivedAt: null }, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    principleLoaders(ctx).allPrinciples(),
    ctx.prisma.workstream.findMany({
      where: { archivedAt: null },
      include: {
        principles: { select: { principleId: true } },
        teams: { select: { orgUnitId: true } },
        leads: { select: { role: true } },
        measures: { select: { measureId: true } },
      },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    }),
    ctx.prisma.measure.findMany({
      where: { archivedAt: null },
      include: { principles: { select: { principleId: true } } },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    }),
  ]);

  const units = unitRows.map(orgUnitFromRow);
  // The columns are paged (by name, cursors the units' ids): the matrix's size is the page's,
  // whatever the depth, and only the page's columns are probed for their latest data.
  const allColumns = units.filter((u) => u.depth === columnDepth);
  const page = pageFromArray(allColumns, columnPage, (unit) => unit.dbId);
  const columns = page.edges.map((edge) => edge.node);
  const { latest, latestStrata } = await latestPooledPeriods(ctx, root, columns.map((column) => column.dbId));

  // The nested fields of the answer (leads, teams, parents, ...) resolve through DataLoaders; prime them.
  const workstreams = new Map<number, Workstream>(workstreamRows.map((row) => [row.id, workstreamFromRow(row)]));
  const measures = new Map<number, Measure>(measureRows.map((row) => [row.id, measureFromRow(row)]));
  const unitById = new Map<number, OrgUnit>(units.map((u) => [u.dbId, u]));
  workstreams.forEach((w, id) => workstreamLoaders(ctx).workstreamById.prime(id, w));
  measures.forEach((m, id) => measureLoaders(ctx).measureById.prime(id, m));
  unitById.forEach((u, id) => orgUnitLoaders(ctx).orgUnitById.prime(id, u));

  const result = computeCoverage({
    root: unitOf(root),
    columns: columns.map(unitOf),
    units: units.map(unitOf),
    principleIds: principles.map((p) => p.dbId),
    workstreams: workstreamRows.map((row) => ({
      id: row.id,
      principleIds: row.principles.map((p) => p.principleId),
      teamIds: row.teams.map((t) => t.orgUnitId),
      leadRoles: row.leads.map((l) => l.role),
      measureIds: row.measures.map((m) => m.measureId),
    })),
    measures: measureRows.map((row) => ({ id: row.id, principleIds: row.principles.map((p) => p.principleId), periodicity: row.periodicity, audience: row.audience })),
    latestData: latest,
    latestStrata,
  });

  const principleById = new Map<number, Principle>(principles.map((p) => [p.dbId, p]));
  const pick = <T>(map: Map<number, T>, ids: number[]): T[] => ids.map((id) => map.get(id) as T);
  return {
    root,
    depth: columnDepth,
    latestPeriod: toDate(result.latestPeriod),
    recentFrom: toDate(result.recentFrom.MONTH),
    columns,
    columnsPageInfo: page.pageInfo,
    totalColumns: allColumns.length,
    rows: result.rows.map((row) => ({
      principle: principleById.get(row.principleId) as Principle,
      cells: row.cells.map((cell) => ({
        principle: principleById.get(cell.principleId) as Principle,
        orgUnit: unitById.get(cell.orgUnitId) as OrgUnit,
        workstreams: pick(workstreams, cell.workstreamIds),
        measures: pick(measures, cell.measureIds),
        measuresWithRecentData: pick(measures, cell.measureIdsWithRecentData),
        covered: cell.workstreamIds.length + cell.measureIds.length > 0,
        evidenced: cell.measureIdsWithRecentData.length > 0,
      })),
    })),
    gaps: result.gaps.map((gap) => describeGap(gap, { principleById, workstreams, measures, unitById, root })),
  };
}

function describeGap(
  gap: Gap,
  known: { principleById: Map<number, Principle>; workstreams: Map<number, Workstream>; measures: Map<number, Measure>; unitById: Map<number, OrgUnit>; root: OrgUnit },
): CoverageGap {
  const base: CoverageGap = { kind: gap.kind, message: '', principle: null, workstream: null, orgUnit: null, measure: null, lastDataPeriod: null };
  switch (gap.kind) {
    case 'PRINCIPLE_WITHOUT_MEASURE': {
      const principle = known.principleById.get(gap.principleId) as Principle;
      return { ...base, principle, message: `${principle.name}: no live measure evidences it` };
    }
    case 'WORKSTREAM_WITHOUT_MEASURE': {
      const workstream = known.workstreams.get(gap.workstreamId) as Workstream;
      return { ...base, workstream, message: `${workstream.name} (${workstream.code}) has no live measure` };
    }
    case 'WORKSTREAM_WITHOUT_LEAD': {
      const workstream = known.workstreams.get(gap.workstreamId) as Workstream;
      return { ...base, workstream, message: `${workstream.name} (${workstream.code}) has no LEAD or CO_LEAD` };
    }
    case 'TEAM_IN_NO_WORKSTREAM': {
      const orgUnit = known.unitById.get(gap.orgUnitId) as OrgUnit;
      return { ...base, orgUnit, message: `${orgUnit.name} (${orgUnit.code}) takes part in no live workstream` };
    }
    case 'MEASURE_WITHOUT_RECENT_DATA': {
      const measure = known.measures.get(gap.measureId) as Measure;
      const since = gap.lastDataPeriod ? `its last data in ${known.root.code} is for ${gap.lastDataPeriod}` : `it has no data in ${known.root.code}`;
      return { ...base, measure, lastDataPeriod: toDate(gap.lastDataPeriod), message: `${measure.name} (${measure.code}): no data in the last three periods; ${since}` };
    }
    case 'MEASURE_WITHOUT_RECENT_STRATA': {
      const measure = known.measures.get(gap.measureId) as Measure;
      const since =
        measure.stratifiers.length === 0
          ? 'it is not reported by any stratifier'
          : gap.lastDataPeriod
            ? `its last stratified data in ${known.root.code} is for ${gap.lastDataPeriod}`
            : `it has no stratified data in ${known.root.code}`;
      return { ...base, measure, lastDataPeriod: toDate(gap.lastDataPeriod), message: `${measure.name} (${measure.code}): no data by ethnicity, sex, age band or legal status in the last three periods; ${since}` };
    }
  }
}
