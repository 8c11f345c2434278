import type { Prisma } from '../generated/prisma/client';
import type { Actor } from '../access/actor';
import type { NodeTypeName } from '../graphql/node-registry';

/** What an audit entry is about: a node type (checked by the compiler), or an import batch, which has no node. */
export type AuditedEntityType = NodeTypeName | 'ObservationImport';

export interface AuditEntry {
  entityType: AuditedEntityType;
  entityId: string | number | bigint;
  action: string;
  before?: unknown;
  after?: unknown;
}

/** JSON-safe copy: BigInt ids become strings, Dates ISO strings. */
function toJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Prisma.InputJsonValue;
}

/** Records who changed what, inside the same transaction as the change itself. */
export async function recordAudit(
  tx: Prisma.TransactionClient,
  actor: Actor,
  requestId: string,
  entries: AuditEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await tx.auditEvent.createMany({
    data: entries.map((entry) => ({
      actor: actor.label,
      requestId,
      entityType: entry.entityType,
      entityId: String(entry.entityId),
      action: entry.action,
      before: toJson(entry.before),
      after: toJson(entry.after),
    })),
  });
}
