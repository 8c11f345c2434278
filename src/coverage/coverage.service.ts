import { peopleOfActorTrusts } from '../access/tenancy';
import type { RequestContext } from '../graphql/context';
import { badInput, notFound } from '../graphql/errors';
import { idOfCursorKey, pageFromKeysetRows, pageRequest, type ConnectionArgs } from '../graphql/connection';
import { measureFromRow, type Measure } from '../measures/measure.type';
import { STRATIFIER_KEYS } from '../statistics/stratifiers';
import { orgUnitFromRow, type OrgUnit } from '../organisation/org-unit.type';
import type { Principle } from '../principles/principle.type';
import { workstreamFromRow, type Workstream } from '../workstreams/workstream.type';
import { computeCoverage, type Gap, type LatestData, type WorkstreamReach } from './coverage';
import { columnsWindowSql, teamsInNoWorkstreamSql, workstreamReachSql } from './coverage.sql';
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
     CROSS JOIN LATERAL (${root.parentId === null ? LATEST_STRATUM_IN_TRUST : LATEST_STRATUM_IN_SUBTREE}) l
     WHERE m.archived_at IS NULL AND cardinality(m.stratifiers) > 0 AND l.latest IS NOT NULL`,
    ...[root.dbId, [...columnIds], root.path, ...(root.parentId === null ? [STRATIFIER_KEYS] : [])],
  );
  return {
    latest: rows.filter((row) => !row.strata).map((row) => ({ measureId: Number(row.measure_id), orgUnitId: Number(row.org_unit_id), latestPeriod: toPeriod(row.latest) })),
    latestStrata: rows.filter((row) => row.strata).map((row) => ({ measureId: Number(row.measure_id), latestPeriod: toPeriod(row.latest) })),
  };
}

/*
 * The latest stratified period of measure m in the subtree with path $3, read without scanning
 * the subtree's stratified rows (a trust's were 370,000 per measure on the 10× data: 0.6 s).
 * Under a trust, almost every stratified row is the trust's: walk each stratifier's rows of the
 * measure newest first (observation_strata_idx; every stratifier there is, $4, as the rows
 * may hold one the measure no longer lists) and stop at the first of the subtree; the unit's
 * path is a scalar subquery so the planner keeps that walk rather than joining every row.
 * Below a trust, the subtree is a part of the data: probe each of its units' newest stratified
 * row of the measure (the observations' unique index, newest first).
 */
const LATEST_STRATUM_IN_TRUST = `
  SELECT max(s.latest) AS latest FROM unnest($4::text[]) AS st(key)
  CROSS JOIN LATERAL (
    SELECT o.period_start AS latest FROM observation o
    WHERE o.measure_id = m.id AND o.stratifier = st.key AND o.stratifier <> ''
      AND (SELECT u.path FROM org_unit u WHERE u.id = o.org_unit_id) LIKE $3 || '%'
    ORDER BY o.period_start DESC LIMIT 1
  ) s`;
const LATEST_STRATUM_IN_SUBTREE = `
  SELECT max(s.latest) AS latest FROM org_unit u
  CROSS JOIN LATERAL (
    SELECT o.period_start AS latest FROM observation o
    WHERE o.measure_id = m.id AND o.org_unit_id = u.id AND o.stratifier <> ''
    ORDER BY o.period_start DESC LIMIT 1
  ) s
  WHERE u.path LIKE $3 || '%'`;

function toPeriod(value: Date | string): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
}

/**
 * The coverage matrix of an org unit's subtree, one page of its columns. Everything it needs comes from a fixed set of
 * set-based queries (the page of columns, live workstreams with their principles, leads and measures and where their
 * team links fall, live measures with their principles, the teams in no workstream, the latest pooled period per
 * measure at the root and the columns), whatever the size of the map, each returning what the answer holds rather
 * than the subtree; the decisions are made by the pure computeCoverage.
 */
export async function coverageFor(ctx: RequestContext, orgUnitCode: string, depth: number | null | undefined, columnPage: ConnectionArgs = {}): Promise<Coverage> {
  const request = pageRequest(columnPage); // a bad page size is refused before any read
  const root = await orgUnitLoaders(ctx).orgUnitByCode.load(orgUnitCode);
  if (!root) throw notFound(`No org unit has code "${orgUnitCode}"`);
  const columnDepth = depth ?? root.depth + 1;
  if (!Number.isInteger(columnDepth) || columnDepth < root.depth || columnDepth > root.depth + MAX_DEPTH_BELOW) {
    throw badInput(`\`depth\` is a tree depth from ${root.depth} (${root.code} itself) to ${root.depth + MAX_DEPTH_BELOW}`, 'depth');
  }

  const visibleLeaders = peopleOfActorTrusts(ctx.actor);
  const [window, principles, workstreamRows, measureRows, loneTeamRows] = await Promise.all([
    // The columns are paged (by name, cursors the units' ids): the matrix's size is the page's,
    // whatever the depth, and only the page's columns are probed for their latest data.
    columnsWindowSql(ctx.db, ctx.actor, root, columnDepth, request, idOfCursorKey(request.afterKey), idOfCursorKey(request.beforeKey)),
    principleLoaders(ctx).allPrinciples(),
    ctx.prisma.workstream.findMany({
      where: { archivedAt: null },
      include: {
        principles: { select: { principleId: true } },
        // A lead of another trust is not this reader's to see (Workstream.leads leaves them out), so it leads nothing here.
        leads: { where: visibleLeaders && { person: visibleLeaders }, select: { role: true } },
        measures: { select: { measureId: true } },
      },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    }),
    ctx.prisma.measure.findMany({
      where: { archivedAt: null },
      include: { principles: { select: { principleId: true } } },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    }),
    teamsInNoWorkstreamSql(ctx.db, ctx.actor, root),
  ]);

  const columnsPage = pageFromKeysetRows(request, window.rows.map(orgUnitFromRow), { after: window.afterFound, before: window.beforeFound }, (unit) => unit.dbId, async () => window.total);
  const columns = columnsPage.edges.map((edge) => edge.node);
  const columnIds = columns.map((column) => column.dbId);
  const [{ latest, latestStrata }, reach] = await Promise.all([
    latestPooledPeriods(ctx, root, columnIds),
    workstreamReachSql(ctx.db, workstreamRows.map((row) => row.id), root, columnDepth, columnIds),
  ]);

  // The nested fields of the answer (leads, teams, parents, ...) resolve through DataLoaders; prime them.
  const workstreams = new Map<number, Workstream>(workstreamRows.map((row) => [row.id, workstreamFromRow(row)]));
  const measures = new Map<number, Measure>(measureRows.map((row) => [row.id, measureFromRow(row)]));
  const loneTeams = loneTeamRows.map(orgUnitFromRow);
  const unitById = new Map<number, OrgUnit>([root, ...columns, ...loneTeams].map((u) => [u.dbId, u]));
  workstreams.forEach((w, id) => workstreamLoaders(ctx).workstreamById.prime(id, w));
  measures.forEach((m, id) => measureLoaders(ctx).measureById.prime(id, m));
  unitById.forEach((u, id) => orgUnitLoaders(ctx).orgUnitById.prime(id, u));

  const result = computeCoverage({
    root: { id: root.dbId, isTrustRoot: root.parentId === null },
    columns: columns.map((column) => ({ id: column.dbId, isTrustRoot: column.parentId === null })),
    teamsInNoWorkstream: loneTeams.map((unit) => unit.dbId),
    principleIds: principles.map((p) => p.dbId),
    workstreams: workstreamRows.map((row) => ({
      id: row.id,
      principleIds: row.principles.map((p) => p.principleId),
      reach: reach.get(row.id) as WorkstreamReach,
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
    columnsPageInfo: columnsPage.pageInfo,
    totalColumns: window.total,
    rows: result.rows.map((row) => ({
      principle: principleById.get(row.principleId) as Principle,
      cells: row.cells.map((cell) => ({
        principle: principleById.get(cell.principleId) as Principle,
        orgUnit: unitById.get(cell.orgUnitId) as OrgUnit,
        coveringWorkstreams: pick(workstreams, cell.workstreamIds),
        coveringMeasures: pick(measures, cell.measureIds),
        recentMeasures: pick(measures, cell.measureIdsWithRecentData),
        covered: cell.workstreamIds.length + cell.measureIds.length > 0,
        evidenced: cell.measureIdsWithRecentData.length > 0,
      })),
    })),
    gapList: result.gaps.map((gap) => describeGap(gap, { principleById, workstreams, measures, unitById, root })),
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
