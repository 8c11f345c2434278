import type { Prisma } from '../generated/prisma/client';
import { forbidden } from './errors';
import { inScope, type Actor } from '../access/actor';

/**
 * A TEAM_MANAGER may change nothing outside its own subtree. Thrown inside a mutation, the
 * FORBIDDEN error rolls the transaction back and reaches the client as a top-level error,
 * like a missing permission (it is a matter of authority, not of the input's content).
 */
export function requireInScope(actor: Actor, unit: { code: string; path: string }): void {
  if (!inScope(actor, unit.path)) throw forbidden(`${unit.code} is outside your key’s scope`);
}

/**
 * Some settings are shared by every trust of the installation (a measure's disclosure rule,
 * a target that names no unit): only a credential of all of them may change them, or one
 * trust could loosen what another's board is shown. Raw SQL: the trusts this actor cannot read count too.
 */
export async function requireEveryTrust(tx: Prisma.TransactionClient, actor: Actor, what: string): Promise<void> {
  if (actor.trustIds === null) return;
  const [{ missing }] = await tx.$queryRawUnsafe<Array<{ missing: number }>>(
    `SELECT count(*)::int AS missing FROM org_unit WHERE parent_id IS NULL AND NOT (id = ANY($1::int[]))`,
    [...actor.trustIds],
  );
  if (missing > 0) throw forbidden(`${what} is shared by every trust of this installation: only a key of every trust may change it`);
}
