import { ApiKeyCreateDocument, DisclosureImportDocument, OrgUnitCreateDocument } from '../generated/graphql';
import { addMonths } from '../../src/statistics/periods';
import { createMeasurementFixture, createSmallCountMeasure } from '../support/measurement-fixture';
import { startTestApp, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';

/**
 * The versioned read cache (src/board/versioned-read-cache.ts): an ordinary read of only
 * versioned fields (measures, series, org units, ...) is answered from memory while the board
 * data version stands. What must hold, over real HTTP: a repeat costs the one version read and
 * answers exactly the same bytes of data; any write (through the API or straight into the
 * database) is seen by the next read; readers never share an entry (true figures vs disclosure
 * control, one trust vs another, a scoped manager vs the trust); integration clients and reads
 * of anything outside the version (audit history) are always executed; READ_CACHE_ENTRIES=0
 * turns it off.
 *
 * Fixture: the measurement fixture's trust RTT (RTT-DIR → RTT-A, RTT-B, RTT-C, RTT-W; RTT-DIR2 →
 * RTT-D) and RC-C, a COUNT under disclosure control (under 5 suppressed, counts rounded to 5):
 * RTT-A 3 a month for 2024 (the board must never see 3), RTT-B 12 (hidden too: with RTT-A the
 * only other team of RTT-DIR, it would give RTT-A away by difference), RTT-D 42 (RTT-DIR2's only
 * team: the board sees 40). A second
 * trust RXR (RXR-DIR → RXR-T) and a BOARD key of its own.
 */
const MONTHS = Array.from({ length: 12 }, (_, i) => addMonths('2024-01-01', i));
const SERIES = 'query S($o: String!) { measure(code: "RC-C") { code series(orgUnitCode: $o) { to disclosureControlled points { periodStart numerator suppressed } } } }';
const MEASURES = '{ measures(first: 50) { totalCount nodes { code name } } }';
const UNITS = '{ orgUnits(first: 100) { totalCount nodes { code name parent { code } } } }';

interface Answer {
  data: Record<string, unknown> | undefined;
  errors: unknown;
  statements: number;
  text: string;
}

describe.each(DATABASE_KINDS)('the versioned read cache on %s', (kind) => {
  let app: TestApp;
  let keys: Awaited<ReturnType<typeof createMeasurementFixture>>;
  let otherBoard: string;
  let integrationKey: string;

  const ask = async (query: string, variables: Record<string, unknown> = {}, key: string = TEST_ADMIN_KEY, target: TestApp = app): Promise<Answer> => {
    const response = await fetch(target.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    const body = JSON.parse(text) as { data?: Record<string, unknown>; errors?: unknown; extensions: { sqlStatements: number } };
    return { data: body.data, errors: body.errors, statements: body.extensions.sqlStatements, text };
  };
  // The response's data as sent: the bytes between "data": and ,"extensions".
  const dataText = (answer: Answer) => answer.text.slice(answer.text.indexOf('"data":'), answer.text.indexOf(',"extensions":'));
  const numerators = (answer: Answer) => (answer.data!.measure as { series: { points: Array<{ numerator: number | null }> } }).series.points.map((p) => p.numerator);

  beforeAll(async () => {
    app = await startTestApp(kind);
    keys = await createMeasurementFixture(app);
    await createSmallCountMeasure(app, 'RC-C', MONTHS);
    for (const [code, type, parentCode] of [['RXR', 'TRUST', null], ['RXR-DIR', 'DIRECTORATE', 'RXR'], ['RXR-T', 'TEAM', 'RXR-DIR']] as const) {
      expect((await app.request(OrgUnitCreateDocument, { input: { code, name: `Unit ${code}`, type, parentCode } })).body.data!.orgUnitCreate.userErrors).toEqual([]);
    }
    otherBoard = (await app.request(ApiKeyCreateDocument, { input: { name: 'RXR board', role: 'BOARD', trustCodes: ['RXR'] } })).body.data!.apiKeyCreate.secret!;
    const client = await ask('mutation($i: IntegrationClientCreateInput!) { integrationClientCreate(input: $i) { secret userErrors { code } } }', {
      i: { name: 'Incidents feed', sourceSystem: 'incidents', measureCodes: ['RC-C'], orgUnitCodes: ['RTT'] },
    });
    integrationKey = (client.data!.integrationClientCreate as { secret: string }).secret;
  });
  afterAll(() => app.close());

  test('a repeat is answered from memory: the same bytes of data for the one version read', async () => {
    for (const [query, variables] of [[SERIES, { o: 'RTT-D' }], [MEASURES, {}], [UNITS, {}]] as const) {
      const first = await ask(query, variables);
      const again = await ask(query, variables);
      expect(first.errors).toBeUndefined();
      expect(first.statements).toBeGreaterThan(1);
      expect(again.statements).toBe(1);
      expect(dataText(again)).toBe(dataText(first));
      expect(again.data).toEqual(first.data);
    }
    // other variables are another entry
    const other = await ask(SERIES, { o: 'RTT-A' });
    expect(numerators(other)).toEqual(MONTHS.map(() => 3));
  });

  test('every write is seen by the next read: an import, a new unit, a rename straight in the database', async () => {
    await ask(SERIES, { o: 'RTT-D' });
    expect((await ask(SERIES, { o: 'RTT-D' })).statements).toBe(1);
    const imported = await app.request(DisclosureImportDocument, { input: { rows: [{ measureCode: 'RC-C', orgUnitCode: 'RTT-D', periodStart: '2025-01-01', numerator: 50, source: 'incidents' }] } });
    expect(imported.body.data!.importObservations).toMatchObject({ created: 1, userErrors: [] });
    const afterImport = await ask(SERIES, { o: 'RTT-D' });
    expect(afterImport.statements).toBeGreaterThan(1);
    expect(numerators(afterImport).slice(-2)).toEqual([42, 50]);

    await ask(UNITS);
    expect((await ask(UNITS)).statements).toBe(1);
    expect((await app.request(OrgUnitCreateDocument, { input: { code: 'RTT-E', name: 'Unit RTT-E', type: 'TEAM', parentCode: 'RTT-DIR2' } })).body.data!.orgUnitCreate.userErrors).toEqual([]);
    const units = await ask(UNITS);
    expect((units.data!.orgUnits as { nodes: Array<{ code: string }> }).nodes.map((u) => u.code)).toContain('RTT-E');

    await ask(MEASURES);
    await app.database.db.prisma.measure.update({ where: { code: 'RC-C' }, data: { name: 'Restraints, renamed in the database' } });
    const measures = await ask(MEASURES);
    expect((measures.data!.measures as { nodes: Array<{ code: string; name: string }> }).nodes.find((m) => m.code === 'RC-C')!.name).toBe('Restraints, renamed in the database');
  });

  test('true figures read first are never what a reader under disclosure control is given, nor the reverse', async () => {
    const operator = await ask(SERIES, { o: 'RTT-A' });
    expect(numerators(operator).slice(0, 12)).toEqual(MONTHS.map(() => 3));
    await ask(SERIES, { o: 'RTT-A' }); // cached for the operator
    const board = await ask(SERIES, { o: 'RTT-A' }, keys.BOARD);
    expect(board.statements).toBeGreaterThan(1); // its own entry, computed for it
    expect(numerators(board).every((n) => n === null)).toBe(true);
    expect(board.text).not.toMatch(/"numerator":3\b/);
    const boardAgain = await ask(SERIES, { o: 'RTT-A' }, keys.BOARD);
    expect(boardAgain.statements).toBe(2); // a stored key is looked up, then the version

    expect(boardAgain.text).not.toMatch(/"numerator":3\b/);
    // the board first, then the operator: RTT-D's 42 shown to the board as 40, to the operator as 42
    const boardD = await ask(SERIES, { o: 'RTT-D' }, keys.BOARD);
    expect(numerators(boardD).slice(0, 12)).toEqual(MONTHS.map(() => 40));
    expect(numerators(await ask(SERIES, { o: 'RTT-D' })).slice(0, 12)).toEqual(MONTHS.map(() => 42));
  });

  test('one trust never reads another’s cached answer, nor a scoped manager the trust’s', async () => {
    const everyTrust = await ask(UNITS);
    await ask(UNITS);
    const codes = (answer: Answer) => (answer.data!.orgUnits as { nodes: Array<{ code: string }> }).nodes.map((u) => u.code);
    expect(codes(everyTrust)).toEqual(expect.arrayContaining(['RTT', 'RXR', 'RXR-DIR', 'RXR-T']));
    const other = await ask(UNITS, {}, otherBoard);
    expect(other.statements).toBeGreaterThan(1);
    expect(codes(other).sort()).toEqual(['RXR', 'RXR-DIR', 'RXR-T']);
    const rttBoard = await ask(UNITS, {}, keys.BOARD);
    expect(codes(rttBoard)).not.toContain('RXR');
    expect(codes(await ask(UNITS, {}, otherBoard)).sort()).toEqual(['RXR', 'RXR-DIR', 'RXR-T']);
    // a manager scoped to RTT-A under disclosure control and the faculty lead each get their own series
    const manager = await ask(SERIES, { o: 'RTT-A' }, keys.TEAM_MANAGER_A);
    const lead = await ask(SERIES, { o: 'RTT-A' }, keys.FACULTY_LEAD);
    expect(manager.statements).toBeGreaterThan(1);
    expect(lead.statements).toBeGreaterThan(1);
  });

  test('integration clients and reads of anything outside the version are always executed', async () => {
    // executed: the key, the page, its count, the principle links; a hit would be the key and the version
    const query = '{ measures(first: 50) { totalCount nodes { code principles { key } } } }';
    await ask(query, {}, integrationKey); // the first use also records the key's last use
    const again = await ask(query, {}, integrationKey);
    const third = await ask(query, {}, integrationKey);
    expect(again.errors).toBeUndefined();
    expect([again.statements >= 4, third.statements]).toEqual([true, again.statements]);
    // audit history is not under the board data version: a change to it must show at once
    const history = '{ measure(code: "RC-C") { code history(first: 5) { totalCount } } }';
    const h1 = await ask(history);
    const h2 = await ask(history);
    expect(h1.errors).toBeUndefined();
    expect(h2.statements).toBe(h1.statements);
    expect(h2.statements).toBeGreaterThan(1);
  });

  test('READ_CACHE_ENTRIES=0: every read is executed', async () => {
    const uncached = await startTestApp(kind, { READ_CACHE_ENTRIES: '0' });
    try {
      const first = await ask(UNITS, {}, TEST_ADMIN_KEY, uncached);
      const again = await ask(UNITS, {}, TEST_ADMIN_KEY, uncached);
      expect(again.data).toEqual(first.data);
      expect(again.statements).toBe(first.statements);
      expect(again.statements).toBeGreaterThan(1);
    } finally {
      await uncached.close();
    }
  });
});
