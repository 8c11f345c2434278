import {
  ApiKeyCreateDocument,
  CoverageDocument,
  ImportObservationsDocument,
  MeasureAddPrincipleDocument,
  MeasureAddWorkstreamDocument,
  MeasureCreateDocument,
  MeasureTargetSetDocument,
  PersonCreateDocument,
  WorkstreamAddLeadDocument,
  WorkstreamAddPrincipleDocument,
  WorkstreamAddTeamDocument,
  WorkstreamCreateDocument,
  WorkstreamDetailDocument,
  WorkstreamUpdateDocument,
  type CoverageQuery,
} from '../generated/graphql';
import { addMonths } from '../../src/statistics/periods';
import { createMeasurementFixture } from '../support/measurement-fixture';
import { startTestApp, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';

type Cell = NonNullable<CoverageQuery['coverage']>['rows'][number]['cells'][number];

function cellOf(coverage: NonNullable<CoverageQuery['coverage']>, principle: string, unit: string): Cell {
  const row = coverage.rows.find((r) => r.principle.key === principle)!;
  return row.cells.find((c) => c.orgUnit.code === unit)!;
}

/** Fails the test with the user errors if a mutation payload has any. */
function ok<P extends { userErrors: Array<{ message: string }> }>(payload: P | undefined): P {
  expect(payload).toBeDefined();
  if (payload!.userErrors.length > 0) throw new Error(JSON.stringify(payload!.userErrors));
  return payload!;
}

describe.each(DATABASE_KINDS)('faculty map scenarios on %s', (kind) => {
  let app: TestApp;
  let keys: Awaited<ReturnType<typeof createMeasurementFixture>>;
  let secondLead: string;

  beforeAll(async () => {
    app = await startTestApp(kind);
    keys = await createMeasurementFixture(app);
    const second = await app.request(ApiKeyCreateDocument, { input: { name: 'second faculty lead', role: 'FACULTY_LEAD', trustCodes: ['RTT'] } });
    secondLead = second.body.data!.apiKeyCreate.secret!;
    // Some existing data, so the matrix has a reference period: P1 at RTT-B for six months.
    const rows = Array.from({ length: 6 }, (_, i) => ({
      measureCode: 'P1',
      orgUnitCode: 'RTT-B',
      periodStart: addMonths('2026-04-01', i),
      numerator: 7,
      denominator: 10,
      source: 'pas',
    }));
    const imported = await app.request(ImportObservationsDocument, { input: { rows } });
    expect(imported.body.data!.importObservations.userErrors).toEqual([]);
  });
  afterAll(() => app.close());

  test('a faculty lead builds a workstream from nothing; the board then sees it in the coverage matrix', async () => {
    const lead = keys.FACULTY_LEAD;
    const board = keys.BOARD;

    // Before: nothing covers RELATIONAL or REFLECTIVE at RTT-DIR2, and its team RTT-D is in no workstream.
    const before = (await app.request(CoverageDocument, { orgUnitCode: 'RTT' }, board)).body.data!.coverage!;
    expect(before.columns.map((c) => c.code).sort()).toEqual(['RTT-DIR', 'RTT-DIR2']);
    expect(cellOf(before, 'REFLECTIVE', 'RTT-DIR2')).toMatchObject({ covered: false, workstreams: { totalCount: 0, nodes: [] }, measures: { totalCount: 0, nodes: [] } });
    expect(before.gaps.nodes).toContainEqual(expect.objectContaining({ kind: 'TEAM_IN_NO_WORKSTREAM', orgUnit: { code: 'RTT-D' } }));

    // 1. The workstream itself
    const created = ok(
      (
        await app.request(
          WorkstreamCreateDocument,
          {
            input: {
              code: 'CARE-PILOT',
              name: 'CARE relational skills pilot',
              description: 'Three-day CARE course for two teams, with peer trainers',
              aims: ['Every clinician trained in relational ways of working', 'CARE measure above 40'],
              status: 'ACTIVE',
              startDate: '2026-01-01',
              endDate: '2027-03-31',
            },
          },
          lead,
        )
      ).body.data?.workstreamCreate,
    );
    expect(created.workstream).toMatchObject({ code: 'CARE-PILOT', status: 'ACTIVE', version: 1, startDate: '2026-01-01' });

    // 2. Two principles
    for (const principle of ['RELATIONAL', 'REFLECTIVE'] as const) {
      ok((await app.request(WorkstreamAddPrincipleDocument, { input: { workstreamCode: 'CARE-PILOT', principle } }, lead)).body.data?.workstreamAddPrinciple);
    }
    // 3. Teams in two directorates
    for (const orgUnitCode of ['RTT-A', 'RTT-D']) {
      ok((await app.request(WorkstreamAddTeamDocument, { input: { workstreamCode: 'CARE-PILOT', orgUnitCode, joinedOn: '2026-02-01' } }, lead)).body.data?.workstreamAddTeam);
    }

    // Midway the matrix already shows the workstream, and the gaps say what it still lacks.
    const midway = (await app.request(CoverageDocument, { orgUnitCode: 'RTT' }, board)).body.data!.coverage!;
    expect(cellOf(midway, 'REFLECTIVE', 'RTT-DIR2').workstreams.nodes.map((w) => w.code)).toEqual(['CARE-PILOT']);
    expect(midway.gaps.nodes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'WORKSTREAM_WITHOUT_LEAD', workstream: { code: 'CARE-PILOT' } }),
        expect.objectContaining({ kind: 'WORKSTREAM_WITHOUT_MEASURE', workstream: { code: 'CARE-PILOT' } }),
      ]),
    );

    // 4. A lead (a new person)
    const person = ok(
      (await app.request(PersonCreateDocument, { input: { name: 'Dr Ama Owusu', email: 'Ama.Owusu@nhs.test', jobTitle: 'Consultant psychologist', orgUnitCode: 'RTT-A' } }, lead)).body.data
        ?.personCreate,
    ).person!;
    expect(person.email).toBe('ama.owusu@nhs.test');
    ok((await app.request(WorkstreamAddLeadDocument, { input: { workstreamCode: 'CARE-PILOT', personId: person.id, role: 'LEAD' } }, lead)).body.data?.workstreamAddLead);

    // 5. Measures: a new one for the pilot, and an existing one linked too
    ok(
      (
        await app.request(
          MeasureCreateDocument,
          { input: { code: 'CARE-PILOT-TRAINED', name: 'Staff completing the CARE course', scoringType: 'PROPORTION', improvementDirection: 'INCREASE', unit: '%', audience: 'STAFF' } },
          lead,
        )
      ).body.data?.measureCreate,
    );
    for (const principle of ['RELATIONAL', 'REFLECTIVE'] as const) {
      ok((await app.request(MeasureAddPrincipleDocument, { input: { measureCode: 'CARE-PILOT-TRAINED', principle } }, lead)).body.data?.measureAddPrinciple);
    }
    for (const measureCode of ['CARE-PILOT-TRAINED', 'M1']) {
      ok((await app.request(MeasureAddWorkstreamDocument, { input: { measureCode, workstreamCode: 'CARE-PILOT' } }, lead)).body.data?.measureAddWorkstream);
    }
    // 6. A target: trust-wide, and a stretch target for RTT-A
    const target = ok((await app.request(MeasureTargetSetDocument, { input: { measureCode: 'CARE-PILOT-TRAINED', value: 0.8, rationale: 'Board ambition' } }, lead)).body.data?.measureTargetSet);
    expect(target).toMatchObject({ measure: { target: 0.8 }, measureTarget: { value: 0.8, version: 1, orgUnit: null } });
    ok((await app.request(MeasureTargetSetDocument, { input: { measureCode: 'CARE-PILOT-TRAINED', orgUnitCode: 'RTT-A', value: 0.9 } }, lead)).body.data?.measureTargetSet);

    // The workstream reads back whole, with its history.
    const detail = (await app.request(WorkstreamDetailDocument, { code: 'CARE-PILOT' }, board)).body.data!.workstream!;
    expect(detail).toMatchObject({
      principles: [{ key: 'RELATIONAL' }, { key: 'REFLECTIVE' }],
      leads: { nodes: [{ role: 'LEAD', person: { name: 'Dr Ama Owusu' } }] },
      measures: { nodes: expect.arrayContaining([{ code: 'CARE-PILOT-TRAINED' }, { code: 'M1' }]) },
    });
    expect(detail.teams.nodes.map((t) => t.code).sort()).toEqual(['RTT-A', 'RTT-D']);
    expect(detail.history.nodes.map((e) => e.action)).toEqual(['addMeasure', 'addMeasure', 'addLead', 'addTeam', 'addTeam', 'addPrinciple', 'addPrinciple', 'create']);
    expect(detail.history.nodes.every((e) => e.actor.includes('FACULTY_LEAD'))).toBe(true);

    // 7. The board reads the matrix: the new workstream and its measures cover both directorates.
    const after = (await app.request(CoverageDocument, { orgUnitCode: 'RTT' }, board)).body.data!.coverage!;
    expect(after.latestPeriod).toBe('2026-09-01');
    for (const unit of ['RTT-DIR', 'RTT-DIR2']) {
      for (const principle of ['RELATIONAL', 'REFLECTIVE']) {
        const cell = cellOf(after, principle, unit);
        expect(cell.covered).toBe(true);
        expect(cell.workstreams).toEqual({ totalCount: 1, nodes: [{ code: 'CARE-PILOT', status: 'ACTIVE', leads: { nodes: [{ role: 'LEAD', person: { name: 'Dr Ama Owusu' } }] } }] });
        expect(cell.measures.nodes).toContainEqual({ code: 'CARE-PILOT-TRAINED', target: 0.8 });
      }
    }
    // M1 belongs to the workstream but evidences no principle: it covers no cell.
    expect(after.rows.flatMap((r) => r.cells).some((c) => c.measures.nodes.some((m) => m.code === 'M1'))).toBe(false);
    // The cells of principles it does not serve stay as they were.
    expect(cellOf(after, 'RIGHTS_BASED', 'RTT-DIR2')).toMatchObject({ covered: false });
    // Gaps closed: it has a lead and measures; RTT-D now takes part; RTT-B/C/W still do not.
    const gapKeys = after.gaps.nodes.map((g) => `${g.kind}:${g.workstream?.code ?? g.orgUnit?.code ?? g.measure?.code ?? g.principle?.key}`);
    expect(gapKeys).not.toContain('WORKSTREAM_WITHOUT_LEAD:CARE-PILOT');
    expect(gapKeys).not.toContain('WORKSTREAM_WITHOUT_MEASURE:CARE-PILOT');
    expect(gapKeys).not.toContain('TEAM_IN_NO_WORKSTREAM:RTT-D');
    expect(gapKeys).toEqual(expect.arrayContaining(['TEAM_IN_NO_WORKSTREAM:RTT-B', 'TEAM_IN_NO_WORKSTREAM:RTT-W', 'MEASURE_WITHOUT_RECENT_DATA:CARE-PILOT-TRAINED']));
    // P1 has recent data at RTT-DIR but evidences no principle yet; the REFLECTIVE row shows the new measure without data.
    expect(cellOf(after, 'REFLECTIVE', 'RTT-DIR')).toMatchObject({ evidenced: false, measuresWithRecentData: { nodes: [] } });

    // Drilling down to RTT-DIR2's teams (depth 2) shows the same workstream at RTT-D.
    const drill = (await app.request(CoverageDocument, { orgUnitCode: 'RTT-DIR2', depth: 2 }, board)).body.data!.coverage!;
    expect(drill.columns.map((c) => c.code)).toEqual(['RTT-D']);
    expect(cellOf(drill, 'RELATIONAL', 'RTT-D').workstreams.nodes.map((w) => w.code)).toEqual(['CARE-PILOT']);
  });

  test('two leads edit the same workstream at once: one gets CONFLICT with the current values, nothing is lost', async () => {
    const a = keys.FACULTY_LEAD;
    const b = secondLead;
    ok((await app.request(WorkstreamCreateDocument, { input: { code: 'OPEN-DIALOGUE', name: 'Open Dialogue', status: 'PROPOSED' } }, a)).body.data?.workstreamCreate);

    // Both open the workstream and see version 1.
    const seenByA = (await app.request(WorkstreamDetailDocument, { code: 'OPEN-DIALOGUE' }, a)).body.data!.workstream!;
    const seenByB = (await app.request(WorkstreamDetailDocument, { code: 'OPEN-DIALOGUE' }, b)).body.data!.workstream!;
    expect([seenByA.version, seenByB.version]).toEqual([1, 1]);

    // A renames it first.
    const first = ok(
      (await app.request(WorkstreamUpdateDocument, { input: { code: 'OPEN-DIALOGUE', version: seenByA.version, name: 'Peer-supported Open Dialogue' } }, a)).body.data
        ?.workstreamUpdate,
    );
    expect(first.workstream).toMatchObject({ name: 'Peer-supported Open Dialogue', version: 2 });

    // B, still on version 1, changes the status and aims: CONFLICT, and B is shown A's edit.
    const stale = (await app.request(WorkstreamUpdateDocument, { input: { code: 'OPEN-DIALOGUE', version: seenByB.version, status: 'ACTIVE', aims: ['Network meetings within 24 hours'] } }, b))
      .body.data!.workstreamUpdate;
    expect(stale.workstream).toBeNull();
    expect(stale.userErrors).toEqual([expect.objectContaining({ field: ['version'], code: 'CONFLICT' })]);
    expect(stale.userErrors[0].message).toContain('the current version is 2');
    expect(stale.userErrors[0].message).toContain('"Peer-supported Open Dialogue"');
    expect(stale.current).toMatchObject({ name: 'Peer-supported Open Dialogue', status: 'PROPOSED', version: 2 });

    // Nothing of B's landed, A's edit stands.
    const between = (await app.request(WorkstreamDetailDocument, { code: 'OPEN-DIALOGUE' }, b)).body.data!.workstream!;
    expect(between).toMatchObject({ name: 'Peer-supported Open Dialogue', status: 'PROPOSED', aims: [], version: 2 });

    // B re-applies on version 2: both edits are kept.
    const retried = ok(
      (await app.request(WorkstreamUpdateDocument, { input: { code: 'OPEN-DIALOGUE', version: stale.current!.version, status: 'ACTIVE', aims: ['Network meetings within 24 hours'] } }, b)).body
        .data?.workstreamUpdate,
    );
    expect(retried.workstream).toMatchObject({ name: 'Peer-supported Open Dialogue', status: 'ACTIVE', aims: ['Network meetings within 24 hours'], version: 3 });

    // Truly at once: both send version 3; exactly one wins, the other gets CONFLICT.
    const [x, y] = await Promise.all([
      app.request(WorkstreamUpdateDocument, { input: { code: 'OPEN-DIALOGUE', version: 3, description: 'A’s description' } }, a),
      app.request(WorkstreamUpdateDocument, { input: { code: 'OPEN-DIALOGUE', version: 3, endDate: '2027-12-31' } }, b),
    ]);
    const outcomes = [x.body.data!.workstreamUpdate, y.body.data!.workstreamUpdate];
    expect(outcomes.filter((o) => o.userErrors.length === 0)).toHaveLength(1);
    expect(outcomes.filter((o) => o.userErrors[0]?.code === 'CONFLICT')).toHaveLength(1);
    const winner = outcomes.find((o) => o.userErrors.length === 0)!.workstream!;
    const final = (await app.request(WorkstreamDetailDocument, { code: 'OPEN-DIALOGUE' }, a)).body.data!.workstream!;
    expect(final).toMatchObject({ version: 4, description: winner.description, endDate: winner.endDate, status: 'ACTIVE', name: 'Peer-supported Open Dialogue' });

    // The history tells the story: who changed what, before and after.
    const updates = final.history.nodes.filter((e) => e.action === 'update');
    expect(updates).toHaveLength(3);
    const byB = updates.find((e) => (e.after as { status: string }).status === 'ACTIVE' && (e.before as { status: string }).status === 'PROPOSED')!;
    expect(byB.actor).toContain('second faculty lead');
    expect(byB.before).toMatchObject({ version: 2, name: 'Peer-supported Open Dialogue' });
    expect(byB.after).toMatchObject({ version: 3 });
  });
});
