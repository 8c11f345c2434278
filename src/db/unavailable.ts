/**
 * Classifies database errors the client should hear about as "try again later" rather than
 * as a bug: the server is unreachable or went away (SERVICE_UNAVAILABLE), or a statement ran
 * past `statement_timeout` (REQUEST_TIMEOUT). Everything else stays an internal error.
 */
export type DatabaseFailure = 'unavailable' | 'timeout';

// Prisma's codes for a server it cannot reach, that closed the connection, timed out, or
// has no connection to give (pool or server full).
const PRISMA_UNAVAILABLE = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);
// Driver adapter error kinds behind those codes (seen when Prisma passes the cause on).
const ADAPTER_UNAVAILABLE = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
// Node socket errors from `pg` itself (readiness pings, raw SQL).
const SOCKET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);
// PostgreSQL SQLSTATEs: admin/crash shutdown, cannot connect now, too many connections,
// and the whole connection-exception class 08.
const SQLSTATE_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300']);
const SQLSTATE_TIMEOUT = '57014'; // query_canceled: statement_timeout
const MESSAGE_UNAVAILABLE = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly/i;

export function classifyDatabaseError(error: unknown): DatabaseFailure | null {
  const seen = new Set<unknown>();
  let current: unknown = error;
  // Walk the wrappers (GraphQLError.originalError, Error.cause, NonErrorThrown.thrownValue, Prisma's meta) a few levels deep.
  for (let depth = 0; depth < 6 && current && typeof current === 'object' && !seen.has(current); depth++) {
    seen.add(current);
    const e = current as {
      code?: unknown;
      message?: unknown;
      meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } };
      cause?: unknown;
      originalError?: unknown;
      thrownValue?: unknown;
      kind?: unknown;
      originalCode?: unknown;
    };
    const code = typeof e.code === 'string' ? e.code : null;
    if (code && (PRISMA_UNAVAILABLE.has(code) || SOCKET_UNAVAILABLE.has(code) || SQLSTATE_UNAVAILABLE.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return 'unavailable';
    if (code === SQLSTATE_TIMEOUT) return 'timeout';
    const adapterCause = e.meta?.driverAdapterError?.cause ?? (typeof e.kind === 'string' ? e : undefined);
    if (adapterCause) {
      if (typeof adapterCause.kind === 'string' && ADAPTER_UNAVAILABLE.has(adapterCause.kind)) return 'unavailable';
      const original = typeof adapterCause.originalCode === 'string' ? adapterCause.originalCode : null;
      if (original && (SQLSTATE_UNAVAILABLE.has(original) || /^08[0-9A-Z]{3}$/.test(original))) return 'unavailable';
      if (original === SQLSTATE_TIMEOUT) return 'timeout';
    }
    if (typeof e.message === 'string' && MESSAGE_UNAVAILABLE.test(e.message)) return 'unavailable';
    // graphql-js wraps a thrown value that is not an Error of its realm (a driver's error seen
    // across realms, as under Jest) in NonErrorThrown, keeping it as `thrownValue`.
    current = e.originalError ?? e.cause ?? e.thrownValue;
  }
  return null;
}
