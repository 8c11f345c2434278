import DataLoader from 'dataloader';
import { apiKeyFromRow, type ApiKey } from '../auth/api-key.type';
import type { PrismaClient } from '../generated/prisma/client';
import { groupBy } from '../lib/group-by';
import { integrationClientFromRow, type IntegrationClient } from './integration-client.type';
import { perRequest } from '../graphql/context';

function buildIntegrationClientLoaders(prisma: PrismaClient) {
  const byId = new DataLoader<number, IntegrationClient | null>(async (ids) => {
    const rows = await prisma.integrationClient.findMany({ where: { id: { in: [...ids] } } });
    const map = new Map(rows.map((row) => [row.id, integrationClientFromRow(row)]));
    return ids.map((id) => map.get(id) ?? null);
  });
  const measureIdsByClient = new DataLoader<number, number[]>(async (ids) => {
    const links = await prisma.integrationClientMeasure.findMany({ where: { clientId: { in: [...ids] } }, orderBy: { measureId: 'asc' } });
    const groups = groupBy(links, (l) => l.clientId, (l) => l.measureId);
    return ids.map((id) => groups.get(id) ?? []);
  });
  const orgUnitIdsByClient = new DataLoader<number, number[]>(async (ids) => {
    const links = await prisma.integrationClientOrgUnit.findMany({ where: { clientId: { in: [...ids] } }, orderBy: { orgUnitId: 'asc' } });
    const groups = groupBy(links, (l) => l.clientId, (l) => l.orgUnitId);
    return ids.map((id) => groups.get(id) ?? []);
  });
  /** A client's keys, newest first (the first unrevoked one is the live key). */
  const keysByClient = new DataLoader<number, ApiKey[]>(async (ids) => {
    const rows = await prisma.apiKey.findMany({ where: { integrationClientId: { in: [...ids] } }, orderBy: { id: 'desc' } });
    const groups = groupBy(rows, (r) => r.integrationClientId as number, apiKeyFromRow);
    return ids.map((id) => groups.get(id) ?? []);
  });
  return {
    integrationClientById: byId,
    measureIdsByIntegrationClient: measureIdsByClient,
    orgUnitIdsByIntegrationClient: orgUnitIdsByClient,
    apiKeysByIntegrationClient: keysByClient,
  };
}

/** This feature's DataLoaders for the request (made on first use, dropped after a write). */
export const integrationClientLoaders = perRequest((ctx) => buildIntegrationClientLoaders(ctx.prisma));
