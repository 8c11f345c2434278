import { ErrorCode } from '../graphql/errors';
import { userError } from '../graphql/input';
import type { AuditedEntityType, AuditEntry } from './audit-log';
import type { MutationResult } from './mutation';

/**
 * Optimistic concurrency: every update and archive carries the `version` the editor saw. The
 * write is guarded by `WHERE id = … AND version = …`, so of two editors who read the same
 * version the second gets CONFLICT instead of silently overwriting the first.
 */

function show(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  return String(value);
}

/** Stops the mutation with a CONFLICT user error naming the current version and values. */
export function versionConflict(what: string, sentVersion: number, current: { version: number }, values: Record<string, unknown>): never {
  const shown = Object.entries(values)
    .map(([key, value]) => `${key}: ${show(value)}`)
    .join(', ');
  return userError(
    ['version'],
    ErrorCode.CONFLICT,
    `${what} was changed by someone else: you edited version ${sentVersion}, the current version is ${current.version} (${shown}). ` +
      `Nothing was saved; re-apply your change to version ${current.version}.`,
  );
}

/** Checks the version the editor sent against the row read in the transaction. */
export function checkVersion(what: string, sentVersion: number, current: { version: number }, values: Record<string, unknown>): void {
  if (current.version !== sentVersion) versionConflict(what, sentVersion, current, values);
}

/** What `updateAtVersion` needs of a table: its Prisma model delegate (e.g. `tx.workstream`) fits. */
export interface VersionedTable<Row, Data> {
  updateMany(args: { where: { id: number; version: number }; data: Data }): PromiseLike<{ count: number }>;
  findUniqueOrThrow(args: { where: { id: number } }): PromiseLike<Row>;
}

/**
 * The guarded write of an update or archive: applies `data` and bumps the version only if the
 * row is still at the version the editor sent; if someone saved in between, a CONFLICT naming
 * the row's current version and values (`what` and `valuesOf`, as for checkVersion).
 */
export async function updateAtVersion<Row extends { version: number }, Data extends object>(
  table: VersionedTable<Row, NoInfer<Data> & { version: { increment: number } }>,
  id: number,
  sentVersion: number,
  data: Data,
  what: string,
  valuesOf: (row: Row) => Record<string, unknown>,
): Promise<void> {
  const { count } = await table.updateMany({ where: { id, version: sentVersion }, data: { ...data, version: { increment: 1 } } });
  if (count === 0) {
    const now = await table.findUniqueOrThrow({ where: { id } });
    versionConflict(what, sentVersion, now, valuesOf(now));
  }
}

/** A mutation's outcome plus, after a CONFLICT, the entity as it now is (so a client can show the colleague's edit). */
export type VersionedResult<T> = MutationResult<T> & { current: T | null };

export async function withCurrent<T>(result: MutationResult<T>, loadCurrent: () => Promise<T | null>): Promise<VersionedResult<T>> {
  const conflict = result.userErrors.some((e) => e.code === ErrorCode.CONFLICT);
  return { ...result, current: conflict ? await loadCurrent() : null } as VersionedResult<T>;
}

/** How a versioned edit names its row and records itself (see editAtVersion). */
export interface VersionedEdit<Row> {
  /** names the row in a CONFLICT message, e.g. "Measure RESTRICTIVE-RATE" */
  what: string;
  /** the values a CONFLICT message shows, so the editor sees the colleague's change */
  valuesOf: (row: Row) => Record<string, unknown>;
  audit: (entry: AuditEntry) => void;
  entityType: AuditedEntityType;
  action: string;
  /** the org unit the row belongs to (AuditEntry.orgUnitId), for a row of one trust */
  orgUnitOf?: (row: Row) => number | null;
}

/**
 * The whole of an update or archive of a versioned row as the editor saw it (`existing`):
 * the version check, the guarded write, the row read back and the change audited with its
 * before and after. Returns the row as written.
 */
export async function editAtVersion<Row extends { id: number; version: number }, Data extends object>(
  table: VersionedTable<Row, NoInfer<Data> & { version: { increment: number } }>,
  existing: Row,
  sentVersion: number,
  data: Data,
  edit: VersionedEdit<Row>,
): Promise<Row> {
  checkVersion(edit.what, sentVersion, existing, edit.valuesOf(existing));
  await updateAtVersion(table, existing.id, sentVersion, data, edit.what, edit.valuesOf);
  const row = await table.findUniqueOrThrow({ where: { id: existing.id } });
  edit.audit({ entityType: edit.entityType, entityId: row.id, action: edit.action, before: existing, after: row, orgUnitId: edit.orgUnitOf?.(row) });
  return row;
}
