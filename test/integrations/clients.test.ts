import {
  ImportObservationsDocument,
  IntegrationClientCreateDocument,
  IntegrationClientNodeDocument,
  IntegrationClientRevokeDocument,
  IntegrationClientRotateKeyDocument,
  IntegrationClientsDocument,
  IntegrationClientUpdateScopeDocument,
  PrinciplesDocument,
  type IntegrationClientCreateInput,
  type ObservationRowInput,
} from '../generated/graphql';
import { loadConfig } from '../../src/config';
import { gql, startServerOn } from '../hardening/http';
import { createMeasurementFixture } from '../support/measurement-fixture';
import { startTestApp, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';

const row = (overrides: Partial<ObservationRowInput>): ObservationRowInput => ({
  measureCode: 'P1',
  orgUnitCode: 'RTT-A',
  periodStart: '2025-01-01',
  numerator: 3,
  denominator: 4,
  ...overrides,
});

describe.each(DATABASE_KINDS)('integration clients on %s', (kind) => {
  let app: TestApp;
  let keys: Awaited<ReturnType<typeof createMeasurementFixture>>;
  let clientId: string;
  let secret: string;
  /** a key of the client still inside a rotation's overlap */
  let overlapSecret: string;

  const prisma = () => app.database.db.prisma;
  const counts = async () => ({
    clients: await prisma().integrationClient.count(),
    keys: await prisma().apiKey.count(),
    measureScopes: await prisma().integrationClientMeasure.count(),
    orgUnitScopes: await prisma().integrationClientOrgUnit.count(),
    observations: await prisma().observation.count(),
  });
  const readClient = async (id = clientId) => {
    const { body } = await app.request(IntegrationClientNodeDocument, { id });
    const node = body.data!.node;
    if (node?.__typename !== 'IntegrationClient') throw new Error(`not a client: ${JSON.stringify(body)}`);
    return node;
  };
  const importAs = (key: string, rows: ObservationRowInput[], allOrNothing = true) =>
    app.request(ImportObservationsDocument, { input: { rows, allOrNothing } }, key);

  beforeAll(async () => {
    app = await startTestApp(kind);
    keys = await createMeasurementFixture(app);
  });
  afterAll(() => app.close());

  test('an ADMIN registers a client and gets its key once; only a hash is stored', async () => {
    const { body } = await app.request(IntegrationClientCreateDocument, {
      input: { name: 'Patient record', sourceSystem: 'epr', measureCodes: ['P1', 'C1'], orgUnitCodes: ['RTT-DIR'] },
    });
    const payload = body.data!.integrationClientCreate;
    expect(payload.userErrors).toEqual([]);
    expect(payload.secret).toMatch(/^rcg_[a-z0-9]+_[A-Za-z0-9_-]+$/);
    expect(payload.integrationClient).toMatchObject({
      name: 'Patient record',
      sourceSystem: 'epr',
      archived: false,
      version: 1,
      measures: [{ code: 'P1' }, { code: 'C1' }],
      orgUnits: [{ code: 'RTT-DIR' }],
      keys: [{ role: 'INTEGRATION', revokedAt: null, lastUsedAt: null }],
    });
    clientId = payload.integrationClient!.id;
    secret = payload.secret!;
    const stored = await prisma().apiKey.findFirstOrThrow({ where: { integrationClient: { name: 'Patient record' } } });
    expect(stored.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(secret.split('_').slice(2).join('_') /* the secret part may itself hold '_' */);
    const audit = await prisma().auditEvent.findMany({ where: { entityType: 'IntegrationClient', action: 'create' } });
    expect(audit).toHaveLength(1);
  });

  test('its key writes its measures inside its subtrees, with its source system as the default source', async () => {
    const { body } = await importAs(secret, [row({ externalId: 'epr-1' }), row({ measureCode: 'C1', orgUnitCode: 'RTT-W', numerator: 2, denominator: null })]);
    // An integration key may not read the stored figures: it is told how many rows were accepted, not which were new.
    expect(body.data!.importObservations).toMatchObject({ accepted: 2, outcomesWithheld: true, created: 0, userErrors: [] });
    const written = await prisma().observation.findMany({ where: { periodStart: new Date('2025-01-01') } });
    expect(written.map((o) => o.source)).toEqual(['epr', 'epr']);
    expect(written[0].recordedBy).toContain('Patient record');
  });

  test('the key’s last use is recorded', async () => {
    const client = await readClient();
    expect(client.keys[0].lastUsedAt).not.toBeNull();
    expect(Date.now() - Date.parse(client.keys[0].lastUsedAt!)).toBeLessThan(60_000);
  });

  test('writing outside its scope: per-row FORBIDDEN, and nothing written', async () => {
    const before = await counts();
    const rows = [
      row({ periodStart: '2025-02-01' }), // fine
      row({ orgUnitCode: 'RTT-D', periodStart: '2025-02-01' }), // another directorate
      row({ measureCode: 'R1', numerator: 2, denominator: 300, periodStart: '2025-02-01' }), // a measure it may not write
      row({ orgUnitCode: 'RTT', periodStart: '2025-02-01' }), // the trust above its subtree
    ];
    const { body } = await importAs(secret, rows);
    const payload = body.data!.importObservations;
    expect(payload.accepted).toBe(0);
    expect(payload.userErrors).toEqual([
      expect.objectContaining({ field: ['rows', '1'], code: 'FORBIDDEN' }),
      expect.objectContaining({ field: ['rows', '2'], code: 'FORBIDDEN', message: expect.stringContaining('R1') }),
      expect.objectContaining({ field: ['rows', '3'], code: 'FORBIDDEN' }),
    ]);
    expect(await counts()).toEqual(before);

    const partial = await importAs(secret, rows, false);
    expect(partial.body.data!.importObservations).toMatchObject({ accepted: 1, rejected: 3 });
    expect(partial.body.data!.importObservations.rejectedRows.map((e) => [e.field, e.code])).toEqual([
      [['rows', '1'], 'FORBIDDEN'],
      [['rows', '2'], 'FORBIDDEN'],
      [['rows', '3'], 'FORBIDDEN'],
    ]);
  });

  test('an integration key may not manage clients or keys', async () => {
    const { body } = await app.request(IntegrationClientRotateKeyDocument, { input: { id: clientId } }, secret);
    expect(body.errors![0].extensions!.code).toBe('FORBIDDEN');
  });

  test('updating the scope takes effect on the next request and bumps the version; a stale version is refused', async () => {
    const denied = await importAs(secret, [row({ measureCode: 'R1', numerator: 2, denominator: 300, periodStart: '2025-03-01' })]);
    expect(denied.body.data!.importObservations.userErrors[0].code).toBe('FORBIDDEN');

    const { body } = await app.request(IntegrationClientUpdateScopeDocument, {
      input: { id: clientId, version: 1, measureCodes: ['P1', 'R1'], orgUnitCodes: ['RTT-A', 'RTT-D'] },
    });
    expect(body.data!.integrationClientUpdateScope).toMatchObject({
      userErrors: [],
      integrationClient: { version: 2, measures: [{ code: 'P1' }, { code: 'R1' }], orgUnits: [{ code: 'RTT-A' }, { code: 'RTT-D' }] },
    });
    const allowed = await importAs(secret, [
      row({ measureCode: 'R1', numerator: 2, denominator: 300, periodStart: '2025-03-01' }),
      row({ orgUnitCode: 'RTT-D', periodStart: '2025-03-01' }),
    ]);
    expect(allowed.body.data!.importObservations).toMatchObject({ accepted: 2, userErrors: [] });
    const nowDenied = await importAs(secret, [row({ orgUnitCode: 'RTT-B', periodStart: '2025-03-01' })]);
    expect(nowDenied.body.data!.importObservations.userErrors[0].code).toBe('FORBIDDEN');

    const before = await counts();
    const stale = await app.request(IntegrationClientUpdateScopeDocument, { input: { id: clientId, version: 1, measureCodes: ['C1'], orgUnitCodes: ['RTT'] } });
    expect(stale.body.data!.integrationClientUpdateScope.userErrors).toEqual([expect.objectContaining({ field: ['version'], code: 'CONFLICT' })]);
    expect(await counts()).toEqual(before);
    expect((await readClient()).measures.map((m) => m.code)).toEqual(['P1', 'R1']);
  });

  test('rotating the key: the old key keeps working for the overlap (24 h by default) so a feed can switch, then is refused', async () => {
    const rotatedAt = Date.now();
    const { body } = await app.request(IntegrationClientRotateKeyDocument, { input: { id: clientId } });
    const payload = body.data!.integrationClientRotateKey;
    expect(payload.userErrors).toEqual([]);
    expect(payload.secret).not.toBe(secret);
    expect(payload.integrationClient!.keys).toHaveLength(2);
    expect(payload.integrationClient!.keys[0].revokedAt).toBeNull();
    // the old key's revocation lies a day ahead
    const until = new Date(payload.integrationClient!.keys[1].revokedAt as string).getTime();
    expect(until - rotatedAt).toBeGreaterThan(24 * 3600_000 - 60_000);
    expect(until - rotatedAt).toBeLessThan(24 * 3600_000 + 60_000);

    const old = await importAs(secret, [row({ periodStart: '2025-04-01' })]);
    expect(old.status).toBe(200);
    expect(old.body.data!.importObservations).toMatchObject({ accepted: 1, userErrors: [] });
    const fresh = await importAs(payload.secret!, [row({ periodStart: '2025-05-01' })]);
    expect(fresh.body.data!.importObservations).toMatchObject({ accepted: 1, userErrors: [] });

    // a second rotation inside the overlap does not extend the first key's life
    const second = await app.request(IntegrationClientRotateKeyDocument, { input: { id: clientId } });
    const keysNow = second.body.data!.integrationClientRotateKey.integrationClient!.keys;
    expect(keysNow).toHaveLength(3);
    expect(new Date(keysNow[2].revokedAt as string).getTime()).toBe(until);
    expect(keysNow[1].revokedAt).not.toBeNull();

    // once the overlap is over (moved into the past here), the old key is refused
    const oldPrefix = secret.split('_')[1];
    await prisma().apiKey.update({ where: { prefix: oldPrefix }, data: { revokedAt: new Date(Date.now() - 1000) } });
    const late = await importAs(secret, [row({ periodStart: '2025-06-01' })]);
    expect(late.status).toBe(401);
    expect(late.body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    overlapSecret = payload.secret!; // still in its overlap
    secret = second.body.data!.integrationClientRotateKey.secret!;
    expect((await importAs(overlapSecret, [row({ periodStart: '2025-06-01' })])).body.data!.importObservations).toMatchObject({ accepted: 1 });
  });

  test('with KEY_ROTATION_OVERLAP_HOURS=0 the old key is refused at once', async () => {
    const strict = await startServerOn(app.database.db, { KEY_ROTATION_OVERLAP_HOURS: '0' });
    try {
      const created = await app.request(IntegrationClientCreateDocument, { input: { name: 'Strict feed', sourceSystem: 'strict', measureCodes: ['P1'], orgUnitCodes: ['RTT-A'] } });
      const { integrationClient, secret: first } = created.body.data!.integrationClientCreate;
      const rotated = await gql(strict.url, 'mutation R($id: ID!) { integrationClientRotateKey(input: { id: $id }) { secret userErrors { code } } }', { id: integrationClient!.id });
      const next = (rotated.body.data as { integrationClientRotateKey: { secret: string } }).integrationClientRotateKey.secret;
      expect((await importAs(first!, [row({ periodStart: '2025-07-01' })])).status).toBe(401);
      expect((await importAs(next, [row({ periodStart: '2025-07-01' })])).body.data!.importObservations).toMatchObject({ accepted: 1 });
      // a key in its overlap (rotated with the default 24 h) can still be revoked at once, alone
      await app.request(IntegrationClientRotateKeyDocument, { input: { id: integrationClient!.id } });
      const overlapping = await prisma().apiKey.findUniqueOrThrow({ where: { prefix: next.split('_')[1] } });
      expect(overlapping.revokedAt!.getTime()).toBeGreaterThan(Date.now());
      const revoked = await gql(app.server.url, 'mutation K($id: ID!) { apiKeyRevoke(input: { id: $id }) { apiKey { revokedAt } userErrors { code } } }', { id: Buffer.from(`ApiKey:${overlapping.id}`).toString('base64url') });
      expect(revoked.body.errors).toBeUndefined();
      expect((await importAs(next, [row({ periodStart: '2025-08-01' })])).status).toBe(401);
      await app.request(IntegrationClientRevokeDocument, { input: { id: integrationClient!.id } });
    } finally {
      await strict.stop();
    }
    expect(loadConfig({}).keyRotationOverlapMs).toBe(24 * 3600_000);
    expect(loadConfig({ KEY_ROTATION_OVERLAP_HOURS: '0.5' }).keyRotationOverlapMs).toBe(1800_000);
    expect(() => loadConfig({ KEY_ROTATION_OVERLAP_HOURS: '-1' })).toThrow(/non-negative/);
  });

  test('revoking archives the client and all its keys stop working at once, overlapping ones too; what it wrote stays', async () => {
    const before = await prisma().observation.count();
    const { body } = await app.request(IntegrationClientRevokeDocument, { input: { id: clientId } });
    expect(body.data!.integrationClientRevoke.integrationClient).toMatchObject({ archived: true });
    const revokedKeys = body.data!.integrationClientRevoke.integrationClient!.keys;
    expect(revokedKeys.every((k) => k.revokedAt !== null && new Date(k.revokedAt as string).getTime() <= Date.now())).toBe(true);
    expect((await app.request(PrinciplesDocument, undefined, secret)).status).toBe(401);
    expect((await app.request(PrinciplesDocument, undefined, overlapSecret)).status).toBe(401);
    expect(await prisma().observation.count()).toBe(before);
    // even if the client were live again, its keys would stay revoked
    await prisma().integrationClient.update({ where: { name: 'Patient record' }, data: { archivedAt: null } });
    expect((await app.request(PrinciplesDocument, undefined, overlapSecret)).status).toBe(401);
    await prisma().integrationClient.update({ where: { name: 'Patient record' }, data: { archivedAt: new Date() } });

    const live = await app.request(IntegrationClientsDocument, { first: 10 });
    expect(live.body.data!.integrationClients.nodes.map((c) => c.name)).not.toContain('Patient record');
    const all = await app.request(IntegrationClientsDocument, { first: 10, includeArchived: true });
    expect(all.body.data!.integrationClients).toMatchObject({ totalCount: 2, nodes: [{ name: 'Patient record', archived: true }, { name: 'Strict feed', archived: true }] });

    const rotate = await app.request(IntegrationClientRotateKeyDocument, { input: { id: clientId } });
    expect(rotate.body.data!.integrationClientRotateKey).toMatchObject({ secret: null, userErrors: [expect.objectContaining({ code: 'INVALID' })] });
    const again = await app.request(IntegrationClientRevokeDocument, { input: { id: clientId } });
    expect(again.body.data!.integrationClientRevoke).toMatchObject({ userErrors: [], integrationClient: { archived: true } });
  });

  test('roles other than ADMIN get FORBIDDEN and change nothing', async () => {
    const before = await counts();
    for (const key of [keys.FACULTY_LEAD, keys.BOARD, keys.TEAM_MANAGER_A]) {
      const create = await app.request(IntegrationClientCreateDocument, { input: { name: 'Sneaky', sourceSystem: 'x', measureCodes: ['P1'], orgUnitCodes: ['RTT'] } }, key);
      expect(create.body.errors![0].extensions!.code).toBe('FORBIDDEN');
      const list = await app.request(IntegrationClientsDocument, { first: 5 }, key);
      expect(list.body.errors![0].extensions!.code).toBe('FORBIDDEN');
      const node = await app.request(IntegrationClientNodeDocument, { id: clientId }, key);
      expect(node.body.errors![0].extensions!.code).toBe('FORBIDDEN');
      const revoke = await app.request(IntegrationClientRevokeDocument, { input: { id: clientId } }, key);
      expect(revoke.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    }
    expect(await counts()).toEqual(before);
  });

  const valid: IntegrationClientCreateInput = { name: 'Incidents', sourceSystem: 'datix', measureCodes: ['R1'], orgUnitCodes: ['RTT'] };
  test.each([
    [{ ...valid, name: '   ' }, ['name'], 'INVALID'],
    [{ ...valid, name: 'Patient record' }, ['name'], 'TAKEN'],
    [{ ...valid, sourceSystem: 'has spaces' }, ['sourceSystem'], 'INVALID'],
    [{ ...valid, measureCodes: [] }, ['measureCodes'], 'INVALID'],
    [{ ...valid, orgUnitCodes: [] }, ['orgUnitCodes'], 'INVALID'],
    [{ ...valid, measureCodes: ['R1', 'NOPE'] }, ['measureCodes', '1'], 'NOT_FOUND'],
    [{ ...valid, orgUnitCodes: ['NOWHERE'] }, ['orgUnitCodes', '0'], 'NOT_FOUND'],
  ])('integrationClientCreate %j → user error on %j (%s), nothing written', async (input, field, code) => {
    const before = await counts();
    const { body } = await app.request(IntegrationClientCreateDocument, { input });
    expect(body.errors).toBeUndefined();
    expect(body.data!.integrationClientCreate).toMatchObject({ integrationClient: null, secret: null });
    expect(body.data!.integrationClientCreate.userErrors).toContainEqual(expect.objectContaining({ field, code }));
    expect(await counts()).toEqual(before);
  });

  test('an archived measure cannot be put in scope; a bad or unknown id is a user error', async () => {
    await prisma().measure.update({ where: { code: 'Q1' }, data: { archivedAt: new Date() } });
    const before = await counts();
    const archived = await app.request(IntegrationClientCreateDocument, { input: { ...valid, measureCodes: ['Q1'] } });
    expect(archived.body.data!.integrationClientCreate.userErrors).toEqual([expect.objectContaining({ field: ['measureCodes', '0'], code: 'INVALID' })]);
    const badId = await app.request(IntegrationClientUpdateScopeDocument, { input: { id: 'nonsense', measureCodes: ['P1'], orgUnitCodes: ['RTT'] } });
    expect(badId.body.data!.integrationClientUpdateScope.userErrors[0].code).toBe('INVALID');
    const unknown = await app.request(IntegrationClientRotateKeyDocument, { input: { id: Buffer.from('IntegrationClient:999').toString('base64url') } });
    expect(unknown.body.data!.integrationClientRotateKey.userErrors).toEqual([expect.objectContaining({ field: ['id'], code: 'NOT_FOUND' })]);
    expect(await counts()).toEqual(before);
    await prisma().measure.update({ where: { code: 'Q1' }, data: { archivedAt: null } });
  });

  test('clients page as a connection', async () => {
    for (const name of ['A', 'B', 'C']) {
      const { body } = await app.request(IntegrationClientCreateDocument, { input: { ...valid, name: `Client ${name}` } });
      expect(body.data!.integrationClientCreate.userErrors).toEqual([]);
    }
    const first = await app.request(IntegrationClientsDocument, { first: 2 });
    expect(first.body.data!.integrationClients).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true }, nodes: [{ name: 'Client A' }, { name: 'Client B' }] });
    const next = await app.request(IntegrationClientsDocument, { first: 2, after: first.body.data!.integrationClients.pageInfo.endCursor });
    expect(next.body.data!.integrationClients).toMatchObject({ pageInfo: { hasNextPage: false }, nodes: [{ name: 'Client C' }] });
  });
});
