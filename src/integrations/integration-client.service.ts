import { z } from 'zod';
import { can } from '../access/actor';
import { generateApiKey } from '../access/api-key';
import type { Prisma } from '../generated/prisma/client';
import type { RequestContext } from '../graphql/context';
import { pageTableById, type ConnectionArgs, type Page } from '../graphql/connection';
import { forbidden, UserErrorsException, type UserErrorData } from '../graphql/errors';
import { expectGlobalId } from '../graphql/global-id';
import { runMutation, type MutationResult } from '../editing/mutation';
import { parseInput, userError } from '../graphql/input';
import { SOURCE_PATTERN } from '../observations/row-validation';
import { INTEGRATION_CLIENT_TYPENAME, integrationClientFromRow, type IntegrationClient } from './integration-client.type';
import { integrationClientLoaders } from './integration-client.loaders';

/** An observation's `source` rule: the client's source system becomes the default source of its rows. */
const SOURCE_SYSTEM = z
  .string()
  .trim()
  .regex(SOURCE_PATTERN, 'A source system is 1 to 64 letters, digits and . _ : / - (e.g. "epr", "datix")');

const codeList = (what: string) =>
  z
    .array(z.string().trim().min(1, `A ${what} code cannot be empty`).max(64))
    .min(1, `Name at least one ${what}`)
    .max(1000, `At most 1,000 ${what}s`);

const scopeFields = { measureCodes: codeList('measure'), orgUnitCodes: codeList('org unit') };

const integrationClientCreateInput = z.object({
  name: z.string().trim().min(1, 'A name is required').max(120),
  sourceSystem: SOURCE_SYSTEM,
  ...scopeFields,
});
export type IntegrationClientCreateInput = z.input<typeof integrationClientCreateInput>;

const integrationClientUpdateScopeInput = z.object({
  id: z.string(),
  version: z.number().int().positive().nullish(),
  ...scopeFields,
});
export type IntegrationClientUpdateScopeInput = z.input<typeof integrationClientUpdateScopeInput>;

export interface IntegrationClientWithSecret {
  integrationClient: IntegrationClient;
  /** the new key, shown this once */
  secret: string;
}

/** Integration clients can mint credentials: only key managers (ADMIN) may see them. */
function assertMayManage(ctx: RequestContext): void {
  if (!can(ctx.actor, 'manageKeys')) throw forbidden(`The ${ctx.actor.role} role may not see integration clients`);
}

export async function listIntegrationClients(ctx: RequestContext, filter: { includeArchived?: boolean | null }, args: ConnectionArgs): Promise<Page<IntegrationClient>> {
  assertMayManage(ctx);
  const where: Prisma.IntegrationClientWhereInput = filter.includeArchived ? {} : { archivedAt: null };
  return pageTableById(args, ctx.prisma.integrationClient, where, integrationClientFromRow);
}

export async function fetchIntegrationClients(ctx: RequestContext, ids: number[]): Promise<Array<IntegrationClient | null>> {
  assertMayManage(ctx);
  return (await integrationClientLoaders(ctx).integrationClientById.loadMany(ids)).map((c) => (c instanceof Error ? null : c));
}

/**
 * Resolves scope codes to ids in one query per kind; every unknown or archived code is a
 * user error naming its position in the input list.
 */
async function resolveScope(tx: Prisma.TransactionClient, measureCodes: string[], orgUnitCodes: string[]) {
  const [measures, units] = await Promise.all([
    tx.measure.findMany({ where: { code: { in: measureCodes } }, select: { id: true, code: true, archivedAt: true } }),
    tx.orgUnit.findMany({ where: { code: { in: orgUnitCodes } }, select: { id: true, code: true, archivedAt: true } }),
  ]);
  const errors: UserErrorData[] = [];
  const check = (field: string, what: string, codes: string[], found: Array<{ code: string; archivedAt: Date | null }>) =>
    codes.forEach((code, index) => {
      const row = found.find((f) => f.code === code);
      if (!row) errors.push({ field: [field, String(index)], code: 'NOT_FOUND', message: `No ${what} has code "${code}"` });
      else if (row.archivedAt) errors.push({ field: [field, String(index)], code: 'INVALID', message: `${what} ${code} is archived` });
    });
  check('measureCodes', 'measure', measureCodes, measures);
  check('orgUnitCodes', 'org unit', orgUnitCodes, units);
  if (errors.length > 0) throw new UserErrorsException(errors);
  return { measureIds: [...new Set(measures.map((m) => m.id))], orgUnitIds: [...new Set(units.map((u) => u.id))] };
}

async function issueKey(tx: Prisma.TransactionClient, client: { id: number; name: string }) {
  const generated = generateApiKey();
  const key = await tx.apiKey.create({
    data: { name: `${client.name} (integration)`, prefix: generated.prefix, secretHash: generated.secretHash, role: 'INTEGRATION', integrationClientId: client.id },
  });
  return { key, secret: generated.key };
}

async function loadClient(tx: Prisma.TransactionClient, id: string) {
  const dbId = expectGlobalId(id, INTEGRATION_CLIENT_TYPENAME);
  const client = await tx.integrationClient.findUnique({ where: { id: dbId } });
  if (!client) userError(['id'], 'NOT_FOUND', 'No such integration client');
  return client;
}

/** Bumps the version only if nobody else changed the client since it was read (optimistic concurrency). */
async function bumpVersion(tx: Prisma.TransactionClient, client: { id: number; version: number }, data: Prisma.IntegrationClientUpdateManyMutationInput = {}) {
  const { count } = await tx.integrationClient.updateMany({ where: { id: client.id, version: client.version }, data: { ...data, version: { increment: 1 } } });
  if (count === 0) userError(['id'], 'CONFLICT', 'The integration client changed meanwhile; read it again and retry');
  return tx.integrationClient.findUniqueOrThrow({ where: { id: client.id } });
}

export async function createIntegrationClient(ctx: RequestContext, rawInput: IntegrationClientCreateInput): Promise<MutationResult<IntegrationClientWithSecret>> {
  return runMutation(ctx, 'manageKeys', async ({ tx, audit }) => {
    const input = parseInput(integrationClientCreateInput, rawInput);
    if (await tx.integrationClient.findUnique({ where: { name: input.name }, select: { id: true } })) {
      userError(['name'], 'TAKEN', `An integration client named "${input.name}" already exists`);
    }
    const scope = await resolveScope(tx, input.measureCodes, input.orgUnitCodes);
    const row = await tx.integrationClient.create({
      data: {
        name: input.name,
        sourceSystem: input.sourceSystem,
        measures: { createMany: { data: scope.measureIds.map((measureId) => ({ measureId })) } },
        orgUnits: { createMany: { data: scope.orgUnitIds.map((orgUnitId) => ({ orgUnitId })) } },
      },
    });
    const { key, secret } = await issueKey(tx, row);
    audit({
      entityType: 'IntegrationClient',
      entityId: row.id,
      action: 'create',
      after: { name: row.name, sourceSystem: row.sourceSystem, measureCodes: input.measureCodes, orgUnitCodes: input.orgUnitCodes },
    });
    audit({ entityType: 'ApiKey', entityId: key.id, action: 'create', after: { name: key.name, role: key.role, prefix: key.prefix, integrationClientId: row.id } });
    return { integrationClient: integrationClientFromRow(row), secret };
  });
}

export async function updateIntegrationClientScope(ctx: RequestContext, rawInput: IntegrationClientUpdateScopeInput): Promise<MutationResult<IntegrationClient>> {
  return runMutation(ctx, 'manageKeys', async ({ tx, audit }) => {
    const input = parseInput(integrationClientUpdateScopeInput, rawInput);
    const client = await loadClient(tx, input.id);
    if (client.archivedAt) userError(['id'], 'INVALID', 'This integration client has been revoked');
    if (input.version != null && input.version !== client.version) {
      userError(['version'], 'CONFLICT', `The client is at version ${client.version}, not ${input.version}; read it again`);
    }
    const scope = await resolveScope(tx, input.measureCodes, input.orgUnitCodes);
    const before = await tx.integrationClient.findUniqueOrThrow({
      where: { id: client.id },
      select: { measures: { select: { measure: { select: { code: true } } } }, orgUnits: { select: { orgUnit: { select: { code: true } } } } },
    });
    const row = await bumpVersion(tx, client);
    await tx.integrationClientMeasure.deleteMany({ where: { clientId: client.id } });
    await tx.integrationClientOrgUnit.deleteMany({ where: { clientId: client.id } });
    await tx.integrationClientMeasure.createMany({ data: scope.measureIds.map((measureId) => ({ clientId: client.id, measureId })) });
    await tx.integrationClientOrgUnit.createMany({ data: scope.orgUnitIds.map((orgUnitId) => ({ clientId: client.id, orgUnitId })) });
    audit({
      entityType: 'IntegrationClient',
      entityId: client.id,
      action: 'updateScope',
      before: { measureCodes: before.measures.map((m) => m.measure.code), orgUnitCodes: before.orgUnits.map((o) => o.orgUnit.code), version: client.version },
      after: { measureCodes: input.measureCodes, orgUnitCodes: input.orgUnitCodes, version: row.version },
    });
    return integrationClientFromRow(row);
  });
}

/** The client's keys still accepted at `now`: not revoked, or revoked only from a moment still ahead. */
const liveKeys = (clientId: number, now: Date): Prisma.ApiKeyWhereInput => ({ integrationClientId: clientId, OR: [{ revokedAt: null }, { revokedAt: { gt: now } }] });

/**
 * A new key for the client. Its earlier keys stay valid for KEY_ROTATION_OVERLAP_HOURS (their
 * `revokedAt` is set that far ahead), so an unattended feed can switch over; a key already
 * counting down keeps its earlier end. With no overlap they stop at once.
 */
export async function rotateIntegrationClientKey(ctx: RequestContext, id: string): Promise<MutationResult<IntegrationClientWithSecret>> {
  return runMutation(ctx, 'manageKeys', async ({ tx, audit }) => {
    const client = await loadClient(tx, id);
    if (client.archivedAt) userError(['id'], 'INVALID', 'This integration client has been revoked; register a new one');
    const row = await bumpVersion(tx, client);
    const now = new Date();
    const revokedAt = new Date(now.getTime() + ctx.config.keyRotationOverlapMs);
    const earlier = await tx.apiKey.findMany({ where: liveKeys(client.id, now), select: { id: true, prefix: true, revokedAt: true } });
    const moving = earlier.filter((k) => k.revokedAt === null || k.revokedAt > revokedAt);
    await tx.apiKey.updateMany({ where: { id: { in: moving.map((k) => k.id) } }, data: { revokedAt } });
    const { key, secret } = await issueKey(tx, row);
    for (const old of moving) audit({ entityType: 'ApiKey', entityId: old.id, action: 'revoke', before: { revokedAt: old.revokedAt }, after: { revokedAt } });
    audit({ entityType: 'ApiKey', entityId: key.id, action: 'create', after: { name: key.name, role: key.role, prefix: key.prefix, integrationClientId: row.id } });
    audit({
      entityType: 'IntegrationClient',
      entityId: client.id,
      action: 'rotateKey',
      before: { keyPrefixes: earlier.map((k) => k.prefix) },
      after: { keyPrefix: key.prefix, earlierKeysValidUntil: revokedAt },
    });
    return { integrationClient: integrationClientFromRow(row), secret };
  });
}

/** Archives the client and revokes its keys. Revoking a revoked client changes nothing. */
export async function revokeIntegrationClient(ctx: RequestContext, id: string): Promise<MutationResult<IntegrationClient>> {
  return runMutation(ctx, 'manageKeys', async ({ tx, audit }) => {
    const client = await loadClient(tx, id);
    if (client.archivedAt) return integrationClientFromRow(client);
    const archivedAt = new Date();
    const row = await bumpVersion(tx, client, { archivedAt });
    // Every key at once, those still in a rotation's overlap included.
    const { count } = await tx.apiKey.updateMany({ where: liveKeys(client.id, archivedAt), data: { revokedAt: archivedAt } });
    audit({ entityType: 'IntegrationClient', entityId: client.id, action: 'revoke', before: { archivedAt: null }, after: { archivedAt, keysRevoked: count } });
    return integrationClientFromRow(row);
  });
}
