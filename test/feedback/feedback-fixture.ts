import type { PrismaClient } from '../../src/generated/prisma/client';
import { FeedbackThemeCreateDocument, OrgUnitCreateDocument, PersonCreateDocument } from '../generated/graphql';
import { createMeasurementFixture } from '../support/measurement-fixture';
import type { TestApp } from '../support/test-app';

/**
 * The measurement fixture (RTT → RTT-DIR → RTT-A, RTT-B, RTT-C, RTT-W; RTT-DIR2 → RTT-D) plus a
 * second trust TAF (TAF-DIR → TAF-W1) with a person, three feedback themes and people at RTT-A and
 * RTT-W; each person's email is their first name at their trust (ada@rtt.nhs.example, ...).
 */
export async function createFeedbackFixture(app: TestApp) {
  const keys = await createMeasurementFixture(app);
  for (const [code, type, parentCode] of [
    ['TAF', 'TRUST', null],
    ['TAF-DIR', 'DIRECTORATE', 'TAF'],
    ['TAF-W1', 'WARD', 'TAF-DIR'],
  ] as const) {
    const { body } = await app.request(OrgUnitCreateDocument, { input: { code, name: `Camden ${code}`, type, parentCode } });
    if (body.data?.orgUnitCreate.userErrors.length) throw new Error(JSON.stringify(body));
  }
  const person = async (name: string, orgUnitCode: string | null) => {
    // An email each (first name at the trust), so inputs may name them by email.
    const email = `${name.split(' ')[0].toLowerCase()}@${orgUnitCode!.split('-')[0].toLowerCase()}.nhs.example`;
    const { body } = await app.request(PersonCreateDocument, { input: { name, orgUnitCode, email } });
    return body.data!.personCreate.person!.id;
  };
  const ada = await person('Ada Ward-Manager', 'RTT-A');
  const wren = await person('Wren Nurse', 'RTT-W');
  const tafline = await person('Tafline Secret', 'TAF-W1');
  for (const input of [
    { code: 'COMMUNICATION', name: 'Communication and being listened to', principleKeys: ['RELATIONAL', 'RESPONSIVE'] },
    { code: 'FOOD', name: 'Food and drink', principleKeys: ['RIGHTS_BASED'] },
    { code: 'RESTRICTIONS', name: 'Rules and restrictions', principleKeys: ['RIGHTS_BASED', 'RESPONSIVE'] },
  ] as const) {
    const { body } = await app.request(FeedbackThemeCreateDocument, { input: { ...input, principleKeys: [...input.principleKeys] } });
    if (body.data?.feedbackThemeCreate.userErrors.length) throw new Error(JSON.stringify(body));
  }
  return { keys, people: { ada, wren, tafline } };
}

/** Every feedback row as it stands, for "nothing changed" assertions. */
export async function feedbackSnapshot(prisma: PrismaClient): Promise<string> {
  const [themes, feedback, links, actions, assessments, audits, observations] = await Promise.all([
    prisma.feedbackTheme.findMany({ orderBy: { id: 'asc' } }),
    prisma.feedback.findMany({ orderBy: { id: 'asc' } }),
    prisma.feedbackThemeLink.findMany({ orderBy: [{ feedbackId: 'asc' }, { themeId: 'asc' }] }),
    prisma.feedbackAction.findMany({ orderBy: { id: 'asc' } }),
    prisma.coreItem22Assessment.findMany({ orderBy: { id: 'asc' } }),
    prisma.auditEvent.count(),
    prisma.observation.findMany({ orderBy: { id: 'asc' }, select: { id: true, numerator: true, denominator: true, revision: true } }),
  ]);
  return JSON.stringify({ themes, feedback, links, actions, assessments, audits, observations }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
