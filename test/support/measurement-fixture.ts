import { ApiKeyCreateDocument, DisclosureImportDocument, MeasureCreateDocument, OrgUnitCreateDocument } from '../generated/graphql';
import type { TestApp } from './test-app';

/**
 * A small trust built through the API: RTT → RTT-DIR → teams RTT-A, RTT-B, RTT-C and the
 * small ward RTT-W; RTT-DIR2 → RTT-D. Measures of every scoring type. Returns role keys.
 */
export async function createMeasurementFixture(app: TestApp): Promise<Record<'FACULTY_LEAD' | 'BOARD' | 'TEAM_MANAGER_A' | 'TEAM_MANAGER_W', string>> {
  const units: Array<[string, string, string | null]> = [
    ['RTT', 'TRUST', null],
    ['RTT-DIR', 'DIRECTORATE', 'RTT'],
    ['RTT-DIR2', 'DIRECTORATE', 'RTT'],
    ['RTT-A', 'TEAM', 'RTT-DIR'],
    ['RTT-B', 'TEAM', 'RTT-DIR'],
    ['RTT-C', 'TEAM', 'RTT-DIR'],
    ['RTT-W', 'WARD', 'RTT-DIR'],
    ['RTT-D', 'TEAM', 'RTT-DIR2'],
  ];
  for (const [code, type, parentCode] of units) {
    const { body } = await app.request(OrgUnitCreateDocument, { input: { code, name: `Unit ${code}`, type: type as never, parentCode } });
    if (body.data?.orgUnitCreate.userErrors.length) throw new Error(JSON.stringify(body.data.orgUnitCreate.userErrors));
  }
  const measures = [
    { code: 'P1', name: 'Seen by the same clinician', scoringType: 'PROPORTION', improvementDirection: 'INCREASE', target: 0.8 },
    { code: 'R1', name: 'Restrictive interventions per 1,000 bed days', scoringType: 'RATE', improvementDirection: 'DECREASE', multiplier: 1000, target: 20 },
    { code: 'M1', name: 'CARE measure mean score', scoringType: 'MEAN', improvementDirection: 'INCREASE', target: 40 },
    { code: 'C1', name: 'You said, we did actions', scoringType: 'COUNT', improvementDirection: 'INCREASE' },
    { code: 'Q1', name: 'Quarterly audit', scoringType: 'PROPORTION', improvementDirection: 'INCREASE', periodicity: 'QUARTER' },
  ];
  for (const input of measures) {
    const { body } = await app.request(MeasureCreateDocument, { input: input as never });
    if (body.data?.measureCreate.userErrors.length) throw new Error(JSON.stringify(body.data.measureCreate.userErrors));
  }
  const key = async (role: string, scopeOrgUnitCode: string | null = null) => {
    // The trust's own keys (a manager's reads its scope's trust when none are named).
    const trustCodes = scopeOrgUnitCode ? null : ['RTT'];
    const { body } = await app.request(ApiKeyCreateDocument, { input: { name: `${role} ${scopeOrgUnitCode ?? ''}`, role: role as never, scopeOrgUnitCode, trustCodes } });
    return body.data!.apiKeyCreate.secret!;
  };
  return {
    FACULTY_LEAD: await key('FACULTY_LEAD'),
    BOARD: await key('BOARD'),
    TEAM_MANAGER_A: await key('TEAM_MANAGER', 'RTT-A'),
    TEAM_MANAGER_W: await key('TEAM_MANAGER', 'RTT-W'),
  };
}

/**
 * A patient COUNT under disclosure control (under 5 suppressed, counts rounded to 5) over the
 * fixture's trust, each of `months`: RTT-A 3 a month (hidden from the board), RTT-B 12 (hidden
 * too: with RTT-A the only other team of RTT-DIR, it would give RTT-A away by difference), RTT-D
 * 42 (RTT-DIR2's only team: the board sees 40). Needs createMeasurementFixture's units first.
 */
export async function createSmallCountMeasure(app: TestApp, code: string, months: readonly string[]): Promise<void> {
  const created = await app.request(MeasureCreateDocument, { input: { code, name: 'Restraints', scoringType: 'COUNT', improvementDirection: 'DECREASE' } });
  if (created.body.data?.measureCreate.userErrors.length) throw new Error(JSON.stringify(created.body.data.measureCreate.userErrors));
  const rows = months.flatMap((periodStart) => [
    { measureCode: code, orgUnitCode: 'RTT-A', periodStart, numerator: 3, source: 'incidents' },
    { measureCode: code, orgUnitCode: 'RTT-B', periodStart, numerator: 12, source: 'incidents' },
    { measureCode: code, orgUnitCode: 'RTT-D', periodStart, numerator: 42, source: 'incidents' },
  ]);
  const imported = (await app.request(DisclosureImportDocument, { input: { rows } })).body.data!.importObservations;
  if (imported.created !== rows.length || imported.userErrors.length) throw new Error(`fixture import: ${JSON.stringify(imported)}`);
}
