import { computeCoverage, recentFrom, type CoverageInput, type CoverageUnit, type WorkstreamReach } from './coverage';

/*
 * Trust 1 → directorates 2 and 3; teams 4, 5 under 2; team 6 under 3; ward 7 under 3; 99 is a
 * team of another trust. Principles 101..104. Latest data anywhere: 2026-10-01. Where the
 * workstreams' team links fall arrives aggregated (SQL does that walk: coverage.sql.ts, tested
 * on a database in test/map); these tests give it as SQL would for that tree.
 */
const TRUST: CoverageUnit = { id: 1, isTrustRoot: true };
const DIR_A: CoverageUnit = { id: 2, isTrustRoot: false };
const DIR_B: CoverageUnit = { id: 3, isTrustRoot: false };
const reach = (linked: boolean, inSubtree: boolean, columnIds: number[]): WorkstreamReach => ({ linked, inSubtree, columnIds });

function base(overrides: Partial<CoverageInput> = {}): CoverageInput {
  return {
    root: TRUST,
    columns: [DIR_A, DIR_B],
    // 5 (a team) and 7 (a ward) take part in no live workstream
    teamsInNoWorkstream: [5, 7],
    principleIds: [101, 102, 103, 104],
    workstreams: [
      // W10 serves 101 and 102 with team 4 (in A); owns measure 20; led.
      { id: 10, principleIds: [101, 102], reach: reach(true, true, [2]), leadRoles: ['LEAD'], measureIds: [20] },
      // W11 serves 103 with team 6 (in B) and a team of another trust (99); no measure; only a sponsor.
      { id: 11, principleIds: [103], reach: reach(true, true, [3]), leadRoles: ['EXECUTIVE_SPONSOR'], measureIds: [] },
      // W12 has no team yet.
      { id: 12, principleIds: [101], reach: reach(false, false, []), leadRoles: ['CO_LEAD'], measureIds: [21] },
      // W13 works only in another trust: linked, but nowhere in this tree.
      { id: 13, principleIds: [104], reach: reach(true, false, []), leadRoles: [], measureIds: [] },
    ],
    measures: [
      { id: 20, principleIds: [101], periodicity: 'MONTH' },
      { id: 21, principleIds: [102], periodicity: 'MONTH' },
      { id: 22, principleIds: [103], periodicity: 'QUARTER' },
      { id: 23, principleIds: [101, 103], periodicity: 'MONTH' },
    ],
    latestData: [
      { measureId: 20, orgUnitId: 1, latestPeriod: '2026-10-01' },
      { measureId: 20, orgUnitId: 2, latestPeriod: '2026-10-01' },
      // 21 has data only at B, stale (June: older than Aug..Oct)
      { measureId: 21, orgUnitId: 1, latestPeriod: '2026-06-01' },
      { measureId: 21, orgUnitId: 3, latestPeriod: '2026-06-01' },
      // 22 is quarterly: July counts (quarters Apr, Jul, Oct → window from 2026-04-01)
      { measureId: 22, orgUnitId: 1, latestPeriod: '2026-07-01' },
      { measureId: 22, orgUnitId: 3, latestPeriod: '2026-07-01' },
      // 23 at B only, recent (August is within Aug..Oct)
      { measureId: 23, orgUnitId: 1, latestPeriod: '2026-08-01' },
      { measureId: 23, orgUnitId: 3, latestPeriod: '2026-08-01' },
    ],
    ...overrides,
  };
}

const cell = (result: ReturnType<typeof computeCoverage>, principleId: number, unitId: number) =>
  result.rows.find((r) => r.principleId === principleId)!.cells.find((c) => c.orgUnitId === unitId)!;

describe('computeCoverage', () => {
  test('the recent window: three months, or three quarters, back from the latest period', () => {
    expect(recentFrom('2026-10-01', 'MONTH')).toBe('2026-08-01');
    expect(recentFrom('2026-11-01', 'QUARTER')).toBe('2026-04-01');
    expect(recentFrom('2026-01-01', 'MONTH')).toBe('2025-11-01');
    const result = computeCoverage(base());
    expect(result.latestPeriod).toBe('2026-10-01');
    expect(result.recentFrom).toEqual({ MONTH: '2026-08-01', QUARTER: '2026-04-01' });
  });

  test('a workstream covers the cells of its principles where its teams are; its measures come with it', () => {
    const result = computeCoverage(base());
    expect(cell(result, 101, 2)).toEqual({ principleId: 101, orgUnitId: 2, workstreamIds: [10], measureIds: [20], measureIdsWithRecentData: [20] });
    // 102 at A: W10 serves it, but its measure 20 evidences only 101; 21 is stale and elsewhere
    expect(cell(result, 102, 2)).toMatchObject({ workstreamIds: [10], measureIds: [], measureIdsWithRecentData: [] });
    // a team in another tree (99) does not put W11/W13 anywhere here; W12 has no team: no cell
    expect(cell(result, 103, 3)).toMatchObject({ workstreamIds: [11] });
    expect(result.rows.flatMap((r) => r.cells).some((c) => c.workstreamIds.includes(12) || c.workstreamIds.includes(13))).toBe(false);
  });

  test('a measure with recent data at a unit covers its principles there, even with no workstream', () => {
    const result = computeCoverage(base());
    expect(cell(result, 103, 3)).toMatchObject({ measureIds: [22, 23], measureIdsWithRecentData: [22, 23] });
    expect(cell(result, 101, 3)).toEqual({ principleId: 101, orgUnitId: 3, workstreamIds: [], measureIds: [23], measureIdsWithRecentData: [23] });
    // stale data does not cover
    expect(cell(result, 102, 3)).toMatchObject({ workstreamIds: [], measureIds: [] });
    expect(cell(result, 104, 2)).toMatchObject({ workstreamIds: [], measureIds: [] });
  });

  test('a workstream’s measure covers its cells even without data', () => {
    const result = computeCoverage(base({ latestData: [] }));
    expect(result.latestPeriod).toBeNull();
    expect(cell(result, 101, 2)).toEqual({ principleId: 101, orgUnitId: 2, workstreamIds: [10], measureIds: [20], measureIdsWithRecentData: [] });
  });

  test('gaps under a trust', () => {
    const result = computeCoverage(base());
    expect(result.gaps).toEqual([
      { kind: 'PRINCIPLE_WITHOUT_MEASURE', principleId: 104 },
      { kind: 'WORKSTREAM_WITHOUT_MEASURE', workstreamId: 11 },
      { kind: 'WORKSTREAM_WITHOUT_LEAD', workstreamId: 11 },
      { kind: 'TEAM_IN_NO_WORKSTREAM', orgUnitId: 5 },
      { kind: 'TEAM_IN_NO_WORKSTREAM', orgUnitId: 7 },
      { kind: 'MEASURE_WITHOUT_RECENT_DATA', measureId: 21, lastDataPeriod: '2026-06-01' },
    ]);
  });

  test('gaps below a trust: only the workstreams and measures that belong there', () => {
    // A's subtree: teams 4 and 5 as the columns; W10's team 4 is there, W11's and W13's are not, W12 has none.
    const input = base();
    const result = computeCoverage(
      base({
        root: DIR_A,
        columns: [
          { id: 4, isTrustRoot: false },
          { id: 5, isTrustRoot: false },
        ],
        teamsInNoWorkstream: [5],
        workstreams: input.workstreams.map((w) => ({ ...w, reach: w.id === 10 ? reach(true, true, [4]) : { ...w.reach, inSubtree: false, columnIds: [] } })),
        latestData: [
          { measureId: 20, orgUnitId: 2, latestPeriod: '2026-10-01' },
          { measureId: 20, orgUnitId: 4, latestPeriod: '2026-10-01' },
        ],
      }),
    );
    expect(cell(result, 101, 4)).toMatchObject({ workstreamIds: [10], measureIds: [20] });
    expect(cell(result, 101, 5)).toMatchObject({ workstreamIds: [], measureIds: [] });
    // W12 (no team) is not in a directorate's scope; 21, 22, 23 never had data in A and belong to no workstream of A
    expect(result.gaps).toEqual([
      { kind: 'PRINCIPLE_WITHOUT_MEASURE', principleId: 104 },
      { kind: 'TEAM_IN_NO_WORKSTREAM', orgUnitId: 5 },
    ]);
  });

  test('a workstream whose teams are all off the page is still in scope: it covers no cell of the page, its gaps stay', async () => {
    const input = base();
    // the page holds only A; W11's team 6 is under B, off this page
    const result = computeCoverage({ ...input, columns: [DIR_A], workstreams: input.workstreams.map((w) => (w.id === 11 ? { ...w, reach: reach(true, true, []) } : w)) });
    expect(result.rows.flatMap((r) => r.cells).some((c) => c.workstreamIds.includes(11))).toBe(false);
    expect(result.gaps).toContainEqual({ kind: 'WORKSTREAM_WITHOUT_LEAD', workstreamId: 11 });
    // and a linked workstream reaching nothing here is out of scope, even under a trust
    const away = computeCoverage({ ...input, workstreams: input.workstreams.map((w) => (w.id === 11 ? { ...w, reach: reach(true, false, []) } : w)) });
    expect(away.gaps.some((g) => 'workstreamId' in g && g.workstreamId === 11)).toBe(false);
  });

  test('archived links do not count: a measure missing from the live list does not cover or fill a gap', () => {
    const input = base();
    const result = computeCoverage({ ...input, measures: input.measures.filter((m) => m.id !== 20) });
    expect(cell(result, 101, 2).measureIds).toEqual([]);
    expect(result.gaps).toContainEqual({ kind: 'WORKSTREAM_WITHOUT_MEASURE', workstreamId: 10 });
  });

  test('with no data at all every measure lacks recent data under a trust', () => {
    const result = computeCoverage(base({ latestData: [] }));
    expect(result.gaps.filter((g) => g.kind === 'MEASURE_WITHOUT_RECENT_DATA').map((g) => ('measureId' in g ? g.measureId : 0))).toEqual([20, 21, 22, 23]);
  });

  it('flags a patient measure with recent data but no recent strata (the equality lens), and only such measures', () => {
    // 20 (patients): recent whole data (Oct), strata last in June: before Aug..Oct, a gap.
    // 22 (patients, quarterly): recent, strata in July (window from April): no gap.
    // 23 (patients): recent, no strata at all: a gap. 21 (patients) has no recent data: its
    // MEASURE_WITHOUT_RECENT_DATA gap says enough. 20's staff twin 24 is never flagged.
    const result = computeCoverage(
      base({
        measures: [
          { id: 20, principleIds: [101], periodicity: 'MONTH', audience: 'PATIENTS' },
          { id: 21, principleIds: [102], periodicity: 'MONTH', audience: 'PATIENTS' },
          { id: 22, principleIds: [103], periodicity: 'QUARTER', audience: 'PATIENTS' },
          { id: 23, principleIds: [101, 103], periodicity: 'MONTH', audience: 'PATIENTS' },
          { id: 24, principleIds: [101], periodicity: 'MONTH', audience: 'STAFF' },
        ],
        latestData: [...base().latestData, { measureId: 24, orgUnitId: 1, latestPeriod: '2026-10-01' }],
        latestStrata: [
          { measureId: 20, latestPeriod: '2026-06-01' },
          { measureId: 22, latestPeriod: '2026-07-01' },
        ],
      }),
    );
    expect(result.gaps.filter((g) => g.kind === 'MEASURE_WITHOUT_RECENT_STRATA')).toEqual([
      { kind: 'MEASURE_WITHOUT_RECENT_STRATA', measureId: 20, lastDataPeriod: '2026-06-01' },
      { kind: 'MEASURE_WITHOUT_RECENT_STRATA', measureId: 23, lastDataPeriod: null },
    ]);
  });
});
