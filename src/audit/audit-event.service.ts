import { can, readsEveryTrust, seesEveryTrueFigure } from '../access/actor';
import type { Prisma } from '../generated/prisma/client';
import type { RequestContext } from '../graphql/context';
import { badInput } from '../graphql/errors';
import { pageFromSortedQuery, type ConnectionArgs, type Page } from '../graphql/connection';
import { pageTableSorted, parseSortValue, sortValueOf, type SortColumn } from '../graphql/ordering';
import { auditEventFromRow, type AuditEvent } from './audit-event.type';
import { auditLoaders } from './audit-event.loaders';

export interface AuditEventFilter {
  /** exactly this actor label (as AuditEvent.actor shows it) */
  actor?: string | null;
  entityType?: string | null;
  entityId?: string | null;
  action?: string | null;
  /** at or after */
  from?: Date | null;
  /** before */
  to?: Date | null;
}

// Newest first. Many events share one `at` (a mutation's entries commit together): the id breaks ties.
const NEWEST_FIRST: SortColumn<AuditEvent> = { column: 'at', kind: 'time', valueOf: (e) => e.at };
const NEWEST_FIRST_KEYSET = {
  direction: 'desc' as const,
  keyOf: (e: AuditEvent) => ({ value: sortValueOf(NEWEST_FIRST, e), id: Number(e.dbId) }),
  parseValue: parseSortValue(NEWEST_FIRST),
};

function checkTimeWindow(filter: Pick<AuditEventFilter, 'from' | 'to'>): void {
  if (filter.from && filter.to && filter.to < filter.from) throw badInput('`to` is before `from`', 'to');
}

/**
 * History, newest first, with keyset pagination on (at, id): served by the (entity_type,
 * entity_id, at), (actor, at) and (at) indexes whichever filter is given.
 */
/**
 * An import batch's audit record says how many rows were new, changed or unchanged, and exists
 * only when something changed: for a reader who may not see every true figure that is the
 * write oracle the import payload withholds, so such readers never see these records.
 */
export const IMPORT_AUDIT_TYPE = 'ObservationImport';

/** The history of credentials: for key managers only; one of several trusts, or every trust, for a manager of every trust only. */
const CREDENTIAL_AUDIT_TYPES = ['ApiKey', 'IntegrationClient'];

/**
 * The audit records this reader may see, beyond its trusts (which the request's client keeps
 * to already): import records only with every true figure of every trust (an import's record
 * does not say which trust its rows were in); credentials' records only for key managers.
 */
export function visibleAuditEvents(ctx: RequestContext): Prisma.AuditEventWhereInput {
  const hidden: Prisma.AuditEventWhereInput[] = [];
  if (!seesEveryTrueFigure(ctx.actor) || !readsEveryTrust(ctx.actor)) hidden.push({ entityType: IMPORT_AUDIT_TYPE });
  if (!can(ctx.actor, 'manageKeys')) hidden.push({ entityType: { in: CREDENTIAL_AUDIT_TYPES } });
  else if (!readsEveryTrust(ctx.actor)) hidden.push({ entityType: { in: CREDENTIAL_AUDIT_TYPES }, orgUnitId: null });
  return hidden.length === 0 ? {} : { NOT: hidden };
}

export async function listAuditEvents(ctx: RequestContext, filter: AuditEventFilter, args: ConnectionArgs): Promise<Page<AuditEvent>> {
  checkTimeWindow(filter);
  const where: Prisma.AuditEventWhereInput = {
    ...visibleAuditEvents(ctx),
    ...(filter.actor ? { actor: filter.actor } : {}),
    ...(filter.entityType ? { entityType: filter.entityType } : {}),
    ...(filter.entityId ? { entityId: filter.entityId } : {}),
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.from || filter.to ? { at: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
  };
  return pageTableSorted(args, ctx.prisma.auditEvent, where, NEWEST_FIRST, 'desc', auditEventFromRow);
}

/**
 * One entity's history, newest first, paged like `listAuditEvents`; through the request's
 * loaders, so `history` on every item of a list is one statement, not one per item.
 */
export async function entityHistory(
  ctx: RequestContext,
  entityType: string,
  entityId: string,
  filter: Pick<AuditEventFilter, 'actor' | 'from' | 'to'>,
  args: ConnectionArgs,
): Promise<Page<AuditEvent>> {
  checkTimeWindow(filter);
  const historyFilter = { actor: filter.actor ?? null, from: filter.from?.toISOString() ?? null, to: filter.to?.toISOString() ?? null };
  return pageFromSortedQuery(
    args,
    NEWEST_FIRST_KEYSET,
    (window) => auditLoaders(ctx).historyPage.load({ entityType, entityId, filter: historyFilter, window }),
    () => auditLoaders(ctx).historyCount.load({ entityType, entityId, filter: historyFilter }),
  );
}
