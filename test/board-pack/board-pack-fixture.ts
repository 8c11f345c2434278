import { CommentaryWriteDocument, DisclosureImportDocument, MeasureCreateDocument, OrgUnitCreateDocument, type ObservationRowInput } from '../generated/graphql';
import { addMonths } from '../../src/statistics/periods';
import { createMeasurementFixture } from '../support/measurement-fixture';
import type { TestApp } from '../support/test-app';

/**
 * The measurement fixture's trust (RTT → RTT-DIR → RTT-A, RTT-B, RTT-C and the small ward
 * RTT-W; RTT-DIR2 → RTT-D) with BP-C, a patient COUNT (MHSDS rule: under 5 suppressed, counts
 * rounded to 5), 24 months (Jan 2023 – Dec 2024): the small ward RTT-W records 3 a month,
 * under the threshold, so a BOARD key must never see it while the ward's own manager does.
 * Another trust, TAF, with its own ward, for the "not found" of another trust's unit.
 */
export const SMALL_COUNT = 3;
export const BP_COUNTS: Record<string, number> = { 'RTT-A': 12, 'RTT-B': 20, 'RTT-C': 30, 'RTT-W': SMALL_COUNT, 'RTT-D': 40 };
export const BP_MONTHS = Array.from({ length: 24 }, (_, i) => addMonths('2023-01-01', i));
export const BP_COMMENTARY = 'Restraint reviewed with the ward team and the patient advocate.';

export async function createBoardPackFixture(app: TestApp) {
  const keys = await createMeasurementFixture(app);
  const created = await app.request(MeasureCreateDocument, {
    input: { code: 'BP-C', name: 'Restraints on the ward', scoringType: 'COUNT', improvementDirection: 'DECREASE', unit: 'restraints' },
  });
  if (created.body.data?.measureCreate.userErrors.length) throw new Error(JSON.stringify(created.body.data.measureCreate.userErrors));
  const prisma = app.database.db.prisma;
  const rights = await prisma.principle.findUniqueOrThrow({ where: { key: 'RIGHTS_BASED' } });
  const measure = await prisma.measure.findUniqueOrThrow({ where: { code: 'BP-C' } });
  await prisma.measurePrinciple.create({ data: { measureId: measure.id, principleId: rights.id } });

  for (const [code, type, parentCode] of [
    ['TAF', 'TRUST', null],
    ['TAF-DIR', 'DIRECTORATE', 'TAF'],
    ['TAF-W', 'WARD', 'TAF-DIR'],
  ] as const) {
    const { body } = await app.request(OrgUnitCreateDocument, { input: { code, name: `Other ${code}`, type, parentCode } });
    if (body.data?.orgUnitCreate.userErrors.length) throw new Error(JSON.stringify(body.data.orgUnitCreate.userErrors));
  }

  const rows: ObservationRowInput[] = BP_MONTHS.flatMap((periodStart) => [
    ...Object.entries(BP_COUNTS).map(([orgUnitCode, numerator]) => ({ measureCode: 'BP-C', orgUnitCode, periodStart, numerator, source: 'incidents' })),
    { measureCode: 'BP-C', orgUnitCode: 'TAF-W', periodStart, numerator: 2, source: 'incidents' },
  ]);
  const imported = await app.request(DisclosureImportDocument, { input: { rows } });
  if (imported.body.data?.importObservations.userErrors.length) throw new Error(JSON.stringify(imported.body.data.importObservations.userErrors));

  const commentary = await app.request(
    CommentaryWriteDocument,
    { input: { measureCode: 'BP-C', orgUnitCode: 'RTT-W', periodStart: BP_MONTHS.at(-1)!, text: BP_COMMENTARY } },
    keys.TEAM_MANAGER_W,
  );
  if (commentary.body.data?.commentaryWrite.userErrors.length) throw new Error(JSON.stringify(commentary.body.data.commentaryWrite.userErrors));
  return keys;
}
