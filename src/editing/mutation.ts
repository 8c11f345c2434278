import { GraphQLError } from 'graphql';
import type { Prisma } from '../generated/prisma/client';
import { transactionWithDriver, type TransactionSql } from '../db/transaction-sql';
import { can, type Permission } from '../access/actor';
import { recordAudit, type AuditEntry } from './audit-log';
import type { RequestContext } from '../graphql/context';
import { forbidden, UserErrorsException, type UserErrorData } from '../graphql/errors';

export type MutationResult<T> = { value: T; userErrors: [] } | { value: null; userErrors: UserErrorData[] };

export interface MutationScope {
  tx: Prisma.TransactionClient;
  /** raw SQL on the transaction's own connection, past Prisma's client (bulk statements: transaction-sql.ts) */
  sql: TransactionSql;
  audit(entry: AuditEntry): void;
}

/**
 * The one way a mutation writes: checks the permission, runs `fn` in a transaction with its
 * audit records, and turns a UserErrorsException into user errors after rolling back, so a
 * payload with user errors changed nothing.
 */
export async function runMutation<T>(
  ctx: RequestContext,
  permission: Permission,
  fn: (scope: MutationScope) => Promise<T>,
): Promise<MutationResult<T>> {
  if (!can(ctx.actor, permission)) {
    throw forbidden(`The ${ctx.actor.role} role may not do this`);
  }
  try {
    const value = await transactionWithDriver(
      ctx.prisma,
      async (tx, sql) => {
        const entries: AuditEntry[] = [];
        const result = await fn({ tx, sql, audit: (entry) => entries.push(entry) });
        await recordAudit(tx, ctx.actor, ctx.requestId, entries);
        return result;
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
    ctx.forgetReads();
    return { value, userErrors: [] };
  } catch (error) {
    if (error instanceof UserErrorsException) return { value: null, userErrors: error.userErrors };
    if (error instanceof GraphQLError && error.extensions.code === 'BAD_USER_INPUT') {
      // e.g. a malformed ID inside the input: a user error like any other, not a request failure
      const argument = typeof error.extensions.argument === 'string' ? [error.extensions.argument] : [];
      return { value: null, userErrors: [{ field: argument, code: 'INVALID', message: error.message }] };
    }
    if (isUniqueViolation(error)) {
      return { value: null, userErrors: [{ field: [], code: 'CONFLICT', message: 'Another change to the same record landed first; try again' }] };
    }
    throw error;
  }
}

/** Prisma's P2002, or PostgreSQL's own 23505 from a statement sent on the driver connection (transaction-sql.ts). */
export function isUniqueViolation(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === 'P2002' || code === '23505';
}
