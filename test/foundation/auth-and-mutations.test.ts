import {
  ApiKeyCreateDocument,
  ApiKeyRevokeDocument,
  ImportObservationsDocument,
  MeasureCreateDocument,
  OrgUnitCreateDocument,
  OrgUnitsDocument,
  PrinciplesDocument,
  ViewerDocument,
} from '../generated/graphql';
import { parseInput } from '../../src/graphql/input';
import { MeasureCreateInput } from '../../src/measures/measure.input';
import { startTestApp, type TestApp } from '../support/test-app';
import { DATABASE_KINDS } from '../support/test-database';

describe.each(DATABASE_KINDS)('credentials and mutations on %s', (kind) => {
  let app: TestApp;
  const keys: Record<string, string> = {};

  const countUnits = async () => (await app.database.db.prisma.orgUnit.count()) as number;
  const countMeasures = async () => (await app.database.db.prisma.measure.count()) as number;

  beforeAll(async () => {
    app = await startTestApp(kind);
    const trust = await app.request(OrgUnitCreateDocument, { input: { code: 'RQQ', name: 'Test trust', type: 'TRUST' } });
    expect(trust.body.data!.orgUnitCreate.userErrors).toEqual([]);
    await app.request(OrgUnitCreateDocument, { input: { code: 'RQQ-DIR', name: 'Directorate', type: 'DIRECTORATE', parentCode: 'RQQ' } });
    await app.request(OrgUnitCreateDocument, { input: { code: 'RQQ-W1', name: 'Ward 1', type: 'WARD', parentCode: 'RQQ-DIR' } });
    for (const role of ['FACULTY_LEAD', 'BOARD', 'TEAM_MANAGER'] as const) {
      const created = await app.request(ApiKeyCreateDocument, {
        input: { name: `${role} key`, role, scopeOrgUnitCode: role === 'TEAM_MANAGER' ? 'RQQ-W1' : null, trustCodes: role === 'FACULTY_LEAD' ? ['RQQ'] : null },
      });
      expect(created.body.data!.apiKeyCreate.userErrors).toEqual([]);
      keys[role] = created.body.data!.apiKeyCreate.secret!;
    }
  });
  afterAll(() => app.close());

  test('no credential: UNAUTHENTICATED with HTTP 401', async () => {
    const { status, body } = await app.request(PrinciplesDocument, undefined, null);
    expect(status).toBe(401);
    expect(body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect(body.data ?? null).toBeNull();
  });

  test('a wrong, malformed or revoked key: UNAUTHENTICATED', async () => {
    const wrong = keys.BOARD.slice(0, -4) + 'AAAA';
    for (const key of [wrong, 'garbage', 'rcg_nosuchprefix_AAAAAAAAAAAAAAAAAAAA']) {
      const { status, body } = await app.request(PrinciplesDocument, undefined, key);
      expect(status).toBe(401);
      expect(body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    }
  });

  test('keys are stored hashed, never in clear', async () => {
    const rows = await app.database.db.prisma.apiKey.findMany();
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.secretHash).toMatch(/^[0-9a-f]{64}$/);
      expect(Object.values(keys)).not.toContain(row.secretHash);
      expect(JSON.stringify(row)).not.toContain(keys.BOARD.split('_').slice(2).join('_') /* the secret part may itself hold '_' */);
    }
  });

  test('each key reads as its own role and scope', async () => {
    const board = await app.request(ViewerDocument, undefined, keys.BOARD);
    expect(board.body.data!.viewer).toMatchObject({ role: 'BOARD', scopeOrgUnit: null });
    const manager = await app.request(ViewerDocument, undefined, keys.TEAM_MANAGER);
    expect(manager.body.data!.viewer).toMatchObject({ role: 'TEAM_MANAGER', scopeOrgUnit: { code: 'RQQ-W1' } });
    const operator = await app.request(ViewerDocument);
    expect(operator.body.data!.viewer.role).toBe('ADMIN');
  });

  test('read-only and under-privileged roles get FORBIDDEN and change nothing', async () => {
    const before = await countUnits();
    for (const role of ['BOARD', 'TEAM_MANAGER', 'FACULTY_LEAD']) {
      const { body } = await app.request(OrgUnitCreateDocument, { input: { code: 'RQQ-X', name: 'X', type: 'WARD', parentCode: 'RQQ-DIR' } }, keys[role]);
      expect(body.errors![0].extensions!.code).toBe('FORBIDDEN');
    }
    const measure = await app.request(MeasureCreateDocument, { input: { code: 'M-X', name: 'X', scoringType: 'COUNT', improvementDirection: 'DECREASE' } }, keys.BOARD);
    expect(measure.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    const key = await app.request(ApiKeyCreateDocument, { input: { name: 'sneaky', role: 'ADMIN' } }, keys.FACULTY_LEAD);
    expect(key.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(await countUnits()).toBe(before);
    expect(await countMeasures()).toBe(0);
  });

  test.each([
    [{ code: 'RQQ-DIR', name: 'Dup', type: 'DIRECTORATE', parentCode: 'RQQ' }, ['code'], 'TAKEN'],
    [{ code: 'bad code', name: 'X', type: 'TEAM', parentCode: 'RQQ-DIR' }, ['code'], 'INVALID'],
    [{ code: 'RQQ-T', name: '  ', type: 'TEAM', parentCode: 'RQQ-DIR' }, ['name'], 'INVALID'],
    [{ code: 'RQQ-T', name: 'Team', type: 'TEAM', parentCode: 'NOWHERE' }, ['parentCode'], 'NOT_FOUND'],
    [{ code: 'RQQ-T', name: 'Team', type: 'TEAM' }, ['parentCode'], 'REQUIRED'],
    [{ code: 'RQQ-T', name: 'Team', type: 'TEAM', parentCode: 'RQQ-W1' }, ['parentCode'], 'INVALID'],
    [{ code: 'XYZ', name: 'Not a trust code', type: 'TRUST' }, ['code'], 'INVALID'],
    [{ code: 'SAF', name: 'Neither R nor T', type: 'TRUST' }, ['code'], 'INVALID'],
    [{ code: 'RQR', name: 'Trust under a trust', type: 'TRUST', parentCode: 'RQQ' }, ['parentCode'], 'INVALID'],
  ])('orgUnitCreate %j → user error on %j (%s), nothing written', async (input, field, code) => {
    const before = await countUnits();
    const { body } = await app.request(OrgUnitCreateDocument, { input: input as never });
    expect(body.errors).toBeUndefined();
    expect(body.data!.orgUnitCreate.orgUnit).toBeNull();
    expect(body.data!.orgUnitCreate.userErrors).toEqual([expect.objectContaining({ field, code })]);
    expect(await countUnits()).toBe(before);
  });

  test.each([
    [{ code: 'RATE-NO-MULT', name: 'Rate', scoringType: 'RATE', improvementDirection: 'DECREASE' }, ['multiplier'], 'REQUIRED'],
    [{ code: 'COUNT-MULT', name: 'Count', scoringType: 'COUNT', improvementDirection: 'DECREASE', multiplier: 1000 }, ['multiplier'], 'INVALID'],
    [{ code: 'PROP-TARGET', name: 'P', scoringType: 'PROPORTION', improvementDirection: 'INCREASE', target: 85 }, ['target'], 'INVALID'],
    [{ code: 'NEG-RATE', name: 'R', scoringType: 'RATE', improvementDirection: 'DECREASE', multiplier: -5 }, ['multiplier'], 'INVALID'],
    [{ code: 'lower', name: 'R', scoringType: 'COUNT', improvementDirection: 'DECREASE' }, ['code'], 'INVALID'],
  ])('measureCreate %j → user error on %j (%s), nothing written', async (input, field, code) => {
    const { body } = await app.request(MeasureCreateDocument, { input: input as never }, keys.FACULTY_LEAD);
    expect(body.data!.measureCreate.measure).toBeNull();
    expect(body.data!.measureCreate.userErrors).toEqual([expect.objectContaining({ field, code })]);
    expect(await countMeasures()).toBe(0);
  });

  test('a faculty lead creates a rate measure with a target; the code is then taken', async () => {
    const input = { code: 'RESTRICTIVE-RATE', name: 'Restrictive interventions per 1,000 bed days', scoringType: 'RATE' as const, improvementDirection: 'DECREASE' as const, multiplier: 1000, unit: 'per 1,000 bed days', target: 25 };
    const created = await app.request(MeasureCreateDocument, { input }, keys.FACULTY_LEAD);
    expect(created.body.data!.measureCreate).toMatchObject({ userErrors: [], measure: { code: 'RESTRICTIVE-RATE', multiplier: 1000, target: 25 } });
    const again = await app.request(MeasureCreateDocument, { input }, keys.FACULTY_LEAD);
    expect(again.body.data!.measureCreate.userErrors[0].code).toBe('TAKEN');
    expect(await countMeasures()).toBe(1);
    const audit = await app.database.db.prisma.auditEvent.findMany({ where: { entityType: 'Measure' } });
    expect(audit).toHaveLength(1);
    expect(audit[0].actor).toContain('FACULTY_LEAD key');
  });

  test('measureCreate sets periodicity (QUARTER kept, MONTH when omitted); a quarterly measure refuses a row that starts mid-quarter', async () => {
    const base = { name: 'Audit', scoringType: 'PROPORTION' as const, improvementDirection: 'INCREASE' as const };
    const quarterly = await app.request(MeasureCreateDocument, { input: { ...base, code: 'AUDIT-Q', periodicity: 'QUARTER' } }, keys.FACULTY_LEAD);
    expect(quarterly.body.data!.measureCreate).toMatchObject({ userErrors: [], measure: { code: 'AUDIT-Q', periodicity: 'QUARTER' } });
    const monthly = await app.request(MeasureCreateDocument, { input: { ...base, code: 'AUDIT-M' } }, keys.FACULTY_LEAD);
    expect(monthly.body.data!.measureCreate).toMatchObject({ userErrors: [], measure: { code: 'AUDIT-M', periodicity: 'MONTH' } });
    const stored = await app.database.db.prisma.measure.findMany({ where: { code: { in: ['AUDIT-Q', 'AUDIT-M'] } }, orderBy: { code: 'asc' }, select: { code: true, periodicity: true } });
    expect(stored).toEqual([{ code: 'AUDIT-M', periodicity: 'MONTH' }, { code: 'AUDIT-Q', periodicity: 'QUARTER' }]);
    // The stored periodicity is the one imports check: February does not start a quarter.
    const rows = [{ measureCode: 'AUDIT-Q', orgUnitCode: 'RQQ-W1', periodStart: '2026-02-01', numerator: 1, denominator: 2, source: 'audit' }];
    const imported = await app.request(ImportObservationsDocument, { input: { rows } }, keys.FACULTY_LEAD);
    const summary = imported.body.data!.importObservations;
    expect(summary).toMatchObject({ created: 0, rejected: 1 });
    expect([...summary.rejectedRows, ...summary.userErrors].map((e) => e.message).join(' ')).toContain('quarter');
  });

  test('measureCreate with a periodicity that is not MONTH or QUARTER: refused, nothing written', async () => {
    const before = await countMeasures();
    const input = { code: 'AUDIT-W', name: 'Weekly', scoringType: 'COUNT', improvementDirection: 'DECREASE', periodicity: 'WEEK' };
    // Through GraphQL the enum refuses it before any resolver runs ...
    const { body } = await app.request(MeasureCreateDocument, { input: input as never }, keys.FACULTY_LEAD);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toContain('periodicity');
    // ... and the input's own rule (what a service caller meets) is a user error on the field.
    expect(() => parseInput(MeasureCreateInput.schema, input)).toThrow(expect.objectContaining({ userErrors: [expect.objectContaining({ field: ['periodicity'], code: 'INVALID', message: 'A periodicity is MONTH or QUARTER' })] }));
    expect(await countMeasures()).toBe(before);
  });

  test('a TEAM_MANAGER key needs a scope; a malformed id in a mutation is a user error', async () => {
    const noScope = await app.request(ApiKeyCreateDocument, { input: { name: 'm', role: 'TEAM_MANAGER' } });
    expect(noScope.body.data!.apiKeyCreate.userErrors[0]).toMatchObject({ field: ['scopeOrgUnitCode'], code: 'REQUIRED' });
    const badId = await app.request(ApiKeyRevokeDocument, { input: { id: 'nonsense' } });
    expect(badId.body.data!.apiKeyRevoke.userErrors[0].code).toBe('INVALID');
  });

  test('a revoked key stops working at once', async () => {
    const created = await app.request(ApiKeyCreateDocument, { input: { name: 'short-lived', role: 'BOARD' } });
    const { apiKey, secret } = created.body.data!.apiKeyCreate;
    expect((await app.request(OrgUnitsDocument, { first: 1 }, secret)).status).toBe(200);
    const revoked = await app.request(ApiKeyRevokeDocument, { input: { id: apiKey!.id } });
    expect(revoked.body.data!.apiKeyRevoke.apiKey!.revokedAt).not.toBeNull();
    expect((await app.request(OrgUnitsDocument, { first: 1 }, secret)).status).toBe(401);
  });
  // Last: until then RQQ is the installation's one trust, whose faculty lead may set a measure's default target.
  test.each(['TAF', 'TAH', 'TAD'])('a mental-health trust whose ODS code begins with T (%s) can be created', async (code) => {
    const { body } = await app.request(OrgUnitCreateDocument, { input: { code, name: `Trust ${code}`, type: 'TRUST' } });
    expect(body.data!.orgUnitCreate.userErrors).toEqual([]);
    expect(body.data!.orgUnitCreate.orgUnit).toMatchObject({ code });
  });
});
