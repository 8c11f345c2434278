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
  /**
   * The org unit the entry tells of: its trust decides who may read it. Required for what
   * belongs to a unit (TRUST_BOUND_TYPES) and for a shared entity's link to a unit (a team
   * joining a workstream); omitted or null: shared by every trust.
   */
  orgUnitId?: number | null;
}

/** Entities that belong to one org unit, so to one trust: their entries must say which. */
const TRUST_BOUND_TYPES: ReadonlySet<AuditedEntityType> = new Set<AuditedEntityType>(['OrgUnit', 'Person', 'Commentary', 'SpcPhase', 'MeasureTarget', 'Observation', 'Feedback', 'FeedbackAction', 'CoreFidelityAssessment']);

function orgUnitOf(entry: AuditEntry): number | null {
  if (entry.orgUnitId !== undefined) return entry.orgUnitId;
  if (entry.entityType === 'OrgUnit') return Number(entry.entityId);
  // A programming error, not bad input: such an entry would be shown to every trust.
  if (TRUST_BOUND_TYPES.has(entry.entityType)) throw new Error(`An audit entry about a ${entry.entityType} must name its org unit`);
  return null;
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
      orgUnitId: orgUnitOf(entry),
    })),
  });
}
