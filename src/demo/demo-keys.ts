/**
 * Deterministic API keys for the demonstration trust, one per role, so a demo (or its
 * walkthrough) can be followed with the same keys every time. They are derived from fixed
 * seeds and so are NOT secret: they exist only where the demo trust has been seeded.
 */
import type { PrismaClient } from '../generated/prisma/client';
import type { Role } from '../generated/prisma/enums';
import { generateApiKey } from '../access/api-key';
import { trustIdOfPath } from '../access/actor';
import { DEMO_INPATIENT_DIRECTORATE_CODE, DEMO_SMALL_WARD, RESTRICTIVE_PRACTICE_MEASURE_CODES } from './constants';
import { createRandom, hashSeed } from './random';

export const DEMO_INTEGRATION_CLIENT = { name: 'Demo incident reporting', sourceSystem: 'incident-reporting' } as const;

interface DemoKeySpec {
  role: Role;
  name: string;
  prefix: string;
  /** TEAM_MANAGER: the org unit the key is scoped to */
  scopeOrgUnitCode?: string;
}

const SPECS: DemoKeySpec[] = [
  { role: 'ADMIN', name: 'Demo administrator', prefix: 'demoadmin' },
  { role: 'FACULTY_LEAD', name: 'Demo faculty lead', prefix: 'demolead' },
  { role: 'BOARD', name: 'Demo board member', prefix: 'demoboard' },
  { role: 'TEAM_MANAGER', name: `Demo ward manager (${DEMO_SMALL_WARD.name})`, prefix: 'demoteam', scopeOrgUnitCode: DEMO_SMALL_WARD.code },
  { role: 'INTEGRATION', name: 'Demo incident reporting feed', prefix: 'demointeg' },
];

/** The demo keys that read the demo trust only (the integration key takes its client's units' trust). */
const TRUST_OWN_ROLES: ReadonlySet<Role> = new Set<Role>(['FACULTY_LEAD', 'BOARD', 'TEAM_MANAGER']);

export interface DemoKey {
  role: Role;
  name: string;
  key: string;
  scope?: string;
}

/** 24 pseudo-random bytes per call, from a PRNG seeded by the prefix: same prefix, same key. */
function deterministicBytes(prefix: string): () => Buffer {
  const rng = createRandom(hashSeed('demo-api-key', prefix));
  return () => Buffer.from(Array.from({ length: 24 }, () => Math.floor(rng.next() * 256)));
}

function generate(spec: DemoKeySpec) {
  return generateApiKey(deterministicBytes(spec.prefix), spec.prefix);
}

function scopeOf(spec: DemoKeySpec): string | undefined {
  if (spec.scopeOrgUnitCode) return `${spec.scopeOrgUnitCode} (${DEMO_SMALL_WARD.name}) and its subtree`;
  if (spec.role === 'INTEGRATION') {
    return `client '${DEMO_INTEGRATION_CLIENT.name}' (${DEMO_INTEGRATION_CLIENT.sourceSystem}): ${RESTRICTIVE_PRACTICE_MEASURE_CODES.join(', ')} in ${DEMO_INPATIENT_DIRECTORATE_CODE}`;
  }
  return undefined;
}

/** The demo keys' strings, computed (nothing is read or written). */
export function demoKeys(): Array<{ role: Role; name: string; key: string }> {
  return SPECS.map((spec) => ({ role: spec.role, name: spec.name, key: generate(spec).key }));
}

/**
 * Creates whichever demo keys are missing (matched by prefix), with the TEAM_MANAGER scope and
 * the integration client and its scopes. Idempotent; returns every key string either way.
 * Requires the demo trust (the small ward and the inpatient directorate) to exist.
 */
export async function createDemoKeys(prisma: PrismaClient): Promise<DemoKey[]> {
  return prisma.$transaction(async (tx) => {
    const units = await tx.orgUnit.findMany({
      where: { code: { in: [DEMO_SMALL_WARD.code, DEMO_INPATIENT_DIRECTORATE_CODE] } },
      select: { id: true, code: true, path: true },
    });
    const unitId = new Map(units.map((u) => [u.code, u.id]));
    const ward = unitId.get(DEMO_SMALL_WARD.code);
    const demoTrust = trustIdOfPath(units.find((u) => u.code === DEMO_SMALL_WARD.code)?.path ?? '/0/');
    const directorate = unitId.get(DEMO_INPATIENT_DIRECTORATE_CODE);
    if (ward === undefined || directorate === undefined) {
      throw new Error(`The demo trust is not loaded (no ${DEMO_SMALL_WARD.code} or ${DEMO_INPATIENT_DIRECTORATE_CODE}); seed it before creating demo keys`);
    }

    // skipDuplicates (ON CONFLICT DO NOTHING) keeps two starting processes from colliding.
    await tx.integrationClient.createMany({ data: [{ ...DEMO_INTEGRATION_CLIENT }], skipDuplicates: true });
    const client = await tx.integrationClient.findUniqueOrThrow({ where: { name: DEMO_INTEGRATION_CLIENT.name }, select: { id: true } });
    const measures = await tx.measure.findMany({ where: { code: { in: [...RESTRICTIVE_PRACTICE_MEASURE_CODES] } }, select: { id: true } });
    await tx.integrationClientMeasure.createMany({ data: measures.map((m) => ({ clientId: client.id, measureId: m.id })), skipDuplicates: true });
    await tx.integrationClientOrgUnit.createMany({ data: [{ clientId: client.id, orgUnitId: directorate }], skipDuplicates: true });

    const existing = new Set(
      (await tx.apiKey.findMany({ where: { prefix: { in: SPECS.map((s) => s.prefix) } }, select: { prefix: true } })).map((k) => k.prefix),
    );
    const generated = SPECS.map((spec) => ({ spec, ...generate(spec) }));
    await tx.apiKey.createMany({
      data: generated
        .filter(({ spec }) => !existing.has(spec.prefix))
        .map(({ spec, prefix, secretHash }) => ({
          name: spec.name,
          prefix,
          secretHash,
          role: spec.role,
          scopeOrgUnitId: spec.role === 'TEAM_MANAGER' ? ward : null,
          integrationClientId: spec.role === 'INTEGRATION' ? client.id : null,
        })),
      skipDuplicates: true,
    });
    // The demo trust's own keys read only it; the administrator keeps every trust.
    const ownKeys = await tx.apiKey.findMany({ where: { prefix: { in: SPECS.filter((s) => TRUST_OWN_ROLES.has(s.role)).map((s) => s.prefix) } }, select: { id: true } });
    await tx.apiKeyTrust.createMany({ data: ownKeys.map((k) => ({ apiKeyId: k.id, trustId: demoTrust })), skipDuplicates: true });
    const result: DemoKey[] = generated.map(({ spec, key }) => {
      const scope = scopeOf(spec);
      return { role: spec.role, name: spec.name, key, ...(scope ? { scope } : {}) };
    });
    return result;
  });
}
