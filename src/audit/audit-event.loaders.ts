import DataLoader from 'dataloader';
import type { AuditEvent as AuditEventRow, PrismaClient } from '../generated/prisma/client';
import type { SortedWindow } from '../graphql/connection';
import { groupBy } from '../lib/group-by';
import { auditEventFromRow, type AuditEvent } from './audit-event.type';
import { perRequest } from '../graphql/context';
import type { Actor } from '../access/actor';
import { sharedOrInTrustsSql } from '../access/tenancy';

/**
 * `history` on every item of a list (each workstream's milestones, say) would otherwise cost
 * one query per item. These loaders gather the items of one request that ask for the same
 * page of history and fetch every item's page in one statement.
 */
export interface HistoryFilter {
  /** exactly this actor label */
  actor: string | null;
  /** at or after (ISO) */
  from: string | null;
  /** before (ISO) */
  to: string | null;
}

export interface HistoryPageKey {
  entityType: string;
  entityId: string;
  filter: HistoryFilter;
  window: SortedWindow<string>;
}

export interface HistoryCountKey {
  entityType: string;
  entityId: string;
  filter: HistoryFilter;
}

interface RawAuditEvent {
  id: bigint;
  at: Date;
  actor: string;
  request_id: string | null;
  entity_type: string;
  entity_id: string;
  action: string;
  before: AuditEventRow['before'];
  after: AuditEventRow['after'];
  org_unit_id: number | null;
}

/** The conditions shared by a page and its count: entity type, actor and time range. */
function filterSql(filter: HistoryFilter, params: unknown[]): string {
  const conditions: string[] = [];
  if (filter.actor !== null) conditions.push(`a.actor = $${params.push(filter.actor)}`);
  if (filter.from !== null) conditions.push(`a.at >= $${params.push(filter.from)}::timestamptz`);
  if (filter.to !== null) conditions.push(`a.at < $${params.push(filter.to)}::timestamptz`);
  return conditions.map((c) => ` AND ${c}`).join('');
}

/** Keys that can share one statement (everything but the entity id alike), each with its place in the batch. */
function groupKeys<K>(keys: readonly K[], shared: (key: K) => unknown) {
  return groupBy(
    keys.map((key, index) => ({ key, index })),
    ({ key }) => JSON.stringify(shared(key)),
    (entry) => entry,
  );
}

function buildAuditLoaders(prisma: PrismaClient, actor: Actor) {
  const historyPage = new DataLoader<HistoryPageKey, AuditEvent[], string>(
    async (keys) => {
      const results: AuditEvent[][] = keys.map(() => []);
      for (const group of groupKeys(keys, ({ entityType, filter, window }) => ({ entityType, filter, window })).values()) {
        const { entityType, filter, window } = group[0].key;
        const params: unknown[] = [entityType, [...new Set(group.map(({ key }) => key.entityId))]];
        const comparison = window.direction === 'desc' ? '<' : '>';
        const opposite = comparison === '<' ? '>' : '<';
        // Row comparison on (at, id): the keyset position, ties broken by id.
        const after = window.after ? ` AND (a.at, a.id) ${comparison} ($${params.push(window.after.value)}::timestamptz, $${params.push(window.after.id)}::bigint)` : '';
        const before = window.before ? ` AND (a.at, a.id) ${opposite} ($${params.push(window.before.value)}::timestamptz, $${params.push(window.before.id)}::bigint)` : '';
        // A shared entity's history (a workstream's) tells of units of every trust: only ours.
        const filters = filterSql(filter, params) + sharedOrInTrustsSql(actor, 'a.org_unit_id', params);
        const direction = window.direction === 'desc' ? 'DESC' : 'ASC';
        // One index range per entity (entity_type, entity_id, at), each cut at the page size.
        const rows = await prisma.$queryRawUnsafe<RawAuditEvent[]>(
          `SELECT e.* FROM unnest($2::text[]) AS k(entity_id)
           CROSS JOIN LATERAL (
             SELECT a.id, a.at, a.actor, a.request_id, a.entity_type, a.entity_id, a.action, a.before, a.after, a.org_unit_id
             FROM audit_event a
             WHERE a.entity_type = $1 AND a.entity_id = k.entity_id${filters}${after}${before}
             ORDER BY a.at ${direction}, a.id ${direction}
             LIMIT ${Math.trunc(window.take)}
           ) e`,
          ...params,
        );
        const byEntity = groupBy(
          rows,
          (row) => row.entity_id,
          (row) =>
            auditEventFromRow({
              id: BigInt(row.id),
              at: new Date(row.at),
              actor: row.actor,
              requestId: row.request_id,
              entityType: row.entity_type,
              entityId: row.entity_id,
              action: row.action,
              before: row.before,
              after: row.after,
              orgUnitId: row.org_unit_id,
            }),
        );
        for (const { key, index } of group) results[index] = byEntity.get(key.entityId) ?? [];
      }
      return results;
    },
    { cacheKeyFn: (key) => JSON.stringify(key) },
  );

  const historyCount = new DataLoader<HistoryCountKey, number, string>(
    async (keys) => {
      const results = keys.map(() => 0);
      for (const group of groupKeys(keys, ({ entityType, filter }) => ({ entityType, filter })).values()) {
        const { entityType, filter } = group[0].key;
        const params: unknown[] = [entityType, [...new Set(group.map(({ key }) => key.entityId))]];
        const filters = filterSql(filter, params) + sharedOrInTrustsSql(actor, 'a.org_unit_id', params);
        const rows = await prisma.$queryRawUnsafe<Array<{ entity_id: string; n: bigint }>>(
          `SELECT a.entity_id, COUNT(*) AS n FROM audit_event a
           WHERE a.entity_type = $1 AND a.entity_id = ANY($2::text[])${filters}
           GROUP BY a.entity_id`,
          ...params,
        );
        const byEntity = new Map(rows.map((row) => [row.entity_id, Number(row.n)]));
        for (const { key, index } of group) results[index] = byEntity.get(key.entityId) ?? 0;
      }
      return results;
    },
    { cacheKeyFn: (key) => JSON.stringify(key) },
  );

  return { historyPage, historyCount };
}

/** This feature's DataLoaders for the request (made on first use, dropped after a write). */
export const auditLoaders = perRequest((ctx) => buildAuditLoaders(ctx.prisma, ctx.actor));
