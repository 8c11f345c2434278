/**
 * The coverage matrix of the faculty map, computed from plain data (no I/O): which workstreams
 * and measures cover each (principle, org unit) cell, and where the gaps are. The service
 * loads everything this needs in a fixed number of set-based queries; this module decides.
 * What depends on walking the subtree (which columns a workstream's live teams fall under,
 * which teams take part in nothing) arrives already aggregated by SQL (coverage.sql.ts), so
 * the work here is the page's columns × the workstreams and measures, whatever the subtree's size.
 *
 * Definitions (README "Editing the faculty map" repeats them for API users):
 * - A workstream covers (P, U) when it is live, serves P, and a live team or ward of U's
 *   subtree takes part in it (U itself counts as its own subtree).
 * - A measure covers (P, U) when it is live, evidences P, and either has recent data at U
 *   (pooled over U's subtree) or belongs to a workstream covering (P, U).
 * - Recent data: the reference period is the latest period with any data in the root's
 *   subtree (not today's month: data arrive late). A monthly measure is recent if it has data
 *   in the reference month or the two before; a quarterly one if in the reference period's
 *   quarter or the two before. With no data at all, nothing is recent.
 * - Workstreams in scope: live ones with a live team in the root's subtree; when the root is a
 *   trust (a root of the tree), also live ones with no team yet.
 * - The equality lens: a live patient measure with recent data in the subtree but no stratified
 *   data there (by ethnicity, sex, age band or legal status) in the same recent window is a gap:
 *   PCREF asks that a board can see how care differs between groups of patients.
 */
import { addMonths, periodBucket } from '../statistics/periods';

export type Periodicity = 'MONTH' | 'QUARTER';

export interface CoverageUnit {
  id: number;
  /** a root of the tree (a trust) */
  isTrustRoot: boolean;
}

/** Where a workstream's team links fall, aggregated over its links by SQL. */
export interface WorkstreamReach {
  /** it has any team link at all (live or not, in this tree or not) */
  linked: boolean;
  /** a live team or ward of the root's subtree takes part */
  inSubtree: boolean;
  /** the columns of the page with a live team or ward of theirs taking part */
  columnIds: readonly number[];
}

export interface CoverageWorkstream {
  id: number;
  principleIds: readonly number[];
  reach: WorkstreamReach;
  leadRoles: readonly string[];
  /** every linked measure (live or not) */
  measureIds: readonly number[];
}

export interface CoverageMeasure {
  id: number;
  principleIds: readonly number[];
  periodicity: Periodicity;
  /** a patient-experience (PATIENTS) or staff (STAFF) measure */
  audience?: 'PATIENTS' | 'STAFF';
}

/** The latest period with pooled data for a measure at a unit. */
export interface LatestData {
  measureId: number;
  orgUnitId: number;
  latestPeriod: string;
}

export interface CoverageInput {
  root: CoverageUnit;
  /** the matrix's columns (one page of them), in display order */
  columns: readonly CoverageUnit[];
  /** live teams and wards of the root's subtree in no live workstream, in display order */
  teamsInNoWorkstream: readonly number[];
  /** the matrix's rows, in display order */
  principleIds: readonly number[];
  /** live workstreams, in display order */
  workstreams: readonly CoverageWorkstream[];
  /** live measures, in display order */
  measures: readonly CoverageMeasure[];
  /** at the root and at each column */
  latestData: readonly LatestData[];
  /** the latest period with stratified data in the root's subtree, per measure (none: absent) */
  latestStrata?: ReadonlyArray<{ measureId: number; latestPeriod: string }>;
}

export interface CoverageCell {
  principleId: number;
  orgUnitId: number;
  workstreamIds: number[];
  measureIds: number[];
  /** the covering measures that have recent data at this unit */
  measureIdsWithRecentData: number[];
}

export const GAP_KINDS = [
  'PRINCIPLE_WITHOUT_MEASURE',
  'WORKSTREAM_WITHOUT_MEASURE',
  'WORKSTREAM_WITHOUT_LEAD',
  'TEAM_IN_NO_WORKSTREAM',
  'MEASURE_WITHOUT_RECENT_DATA',
  'MEASURE_WITHOUT_RECENT_STRATA',
] as const;
export type GapKind = (typeof GAP_KINDS)[number];

export type Gap =
  | { kind: 'PRINCIPLE_WITHOUT_MEASURE'; principleId: number }
  | { kind: 'WORKSTREAM_WITHOUT_MEASURE' | 'WORKSTREAM_WITHOUT_LEAD'; workstreamId: number }
  | { kind: 'TEAM_IN_NO_WORKSTREAM'; orgUnitId: number }
  | { kind: 'MEASURE_WITHOUT_RECENT_DATA' | 'MEASURE_WITHOUT_RECENT_STRATA'; measureId: number; lastDataPeriod: string | null };

export interface CoverageResult {
  /** the reference period: the latest with any data in the root's subtree */
  latestPeriod: string | null;
  /** the first period that counts as recent, by periodicity */
  recentFrom: Record<Periodicity, string | null>;
  rows: Array<{ principleId: number; cells: CoverageCell[] }>;
  gaps: Gap[];
}

/** Roles that lead the work; an executive sponsor or lived-experience lead alone is not enough. */
export const LEADING_ROLES: ReadonlySet<string> = new Set(['LEAD', 'CO_LEAD']);

/** The first period of the recent window ending at `latestPeriod`. */
export function recentFrom(latestPeriod: string, periodicity: Periodicity): string {
  return periodicity === 'QUARTER' ? addMonths(periodBucket(latestPeriod, 'QUARTER').start, -6) : addMonths(latestPeriod, -2);
}

export function computeCoverage(input: CoverageInput): CoverageResult {
  const measureById = new Map(input.measures.map((m) => [m.id, m]));
  const latest = new Map(input.latestData.map((d) => [`${d.measureId}:${d.orgUnitId}`, d.latestPeriod]));

  const latestPeriod = input.latestData
    .filter((d) => d.orgUnitId === input.root.id)
    .reduce<string | null>((max, d) => (max === null || d.latestPeriod > max ? d.latestPeriod : max), null);
  const windowStart: Record<Periodicity, string | null> = {
    MONTH: latestPeriod ? recentFrom(latestPeriod, 'MONTH') : null,
    QUARTER: latestPeriod ? recentFrom(latestPeriod, 'QUARTER') : null,
  };
  const recentAt = (measure: CoverageMeasure, unitId: number): boolean => {
    const from = windowStart[measure.periodicity];
    const last = latest.get(`${measure.id}:${unitId}`);
    return from !== null && last !== undefined && last >= from;
  };

  // The in-scope workstreams: a live team in this tree, or (under a trust) no team yet.
  const isTrustRoot = input.root.isTrustRoot;
  const scoped = input.workstreams
    .filter((w) => w.reach.inSubtree || (isTrustRoot && !w.reach.linked))
    .map((workstream) => ({ workstream, columns: new Set(workstream.reach.columnIds) }));

  const rows = input.principleIds.map((principleId) => ({
    principleId,
    cells: input.columns.map((column): CoverageCell => {
      const covering = scoped.filter(({ workstream, columns }) => workstream.principleIds.includes(principleId) && columns.has(column.id));
      const viaWorkstreams = new Set(covering.flatMap(({ workstream }) => workstream.measureIds));
      const measures = input.measures.filter((m) => m.principleIds.includes(principleId) && (viaWorkstreams.has(m.id) || recentAt(m, column.id)));
      return {
        principleId,
        orgUnitId: column.id,
        workstreamIds: covering.map(({ workstream }) => workstream.id),
        measureIds: measures.map((m) => m.id),
        measureIdsWithRecentData: measures.filter((m) => recentAt(m, column.id)).map((m) => m.id),
      };
    }),
  }));

  const gaps: Gap[] = [];
  for (const principleId of input.principleIds) {
    if (!input.measures.some((m) => m.principleIds.includes(principleId))) gaps.push({ kind: 'PRINCIPLE_WITHOUT_MEASURE', principleId });
  }
  for (const { workstream } of scoped) {
    if (!workstream.measureIds.some((id) => measureById.has(id))) gaps.push({ kind: 'WORKSTREAM_WITHOUT_MEASURE', workstreamId: workstream.id });
  }
  for (const { workstream } of scoped) {
    if (!workstream.leadRoles.some((role) => LEADING_ROLES.has(role))) gaps.push({ kind: 'WORKSTREAM_WITHOUT_LEAD', workstreamId: workstream.id });
  }
  for (const orgUnitId of input.teamsInNoWorkstream) gaps.push({ kind: 'TEAM_IN_NO_WORKSTREAM', orgUnitId });
  // Below a trust, a measure is expected here only if it has had data here or belongs to a workstream here.
  const expectedHere = new Set(scoped.flatMap(({ workstream }) => workstream.measureIds));
  for (const measure of input.measures) {
    const lastDataPeriod = latest.get(`${measure.id}:${input.root.id}`) ?? null;
    if (!isTrustRoot && lastDataPeriod === null && !expectedHere.has(measure.id)) continue;
    if (!recentAt(measure, input.root.id)) gaps.push({ kind: 'MEASURE_WITHOUT_RECENT_DATA', measureId: measure.id, lastDataPeriod });
  }
  // Patient measures with recent data here but none by stratum in the same window.
  const latestStrata = new Map((input.latestStrata ?? []).map((d) => [d.measureId, d.latestPeriod]));
  for (const measure of input.measures) {
    if (measure.audience !== 'PATIENTS' || !recentAt(measure, input.root.id)) continue;
    const lastStratified = latestStrata.get(measure.id) ?? null;
    const from = windowStart[measure.periodicity];
    if (lastStratified === null || from === null || lastStratified < from) gaps.push({ kind: 'MEASURE_WITHOUT_RECENT_STRATA', measureId: measure.id, lastDataPeriod: lastStratified });
  }
  return { latestPeriod, recentFrom: windowStart, rows, gaps };
}
