import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { classifyDatabaseError } from '../db/unavailable';
import { boundEchoes } from '../lib/bounded-text';
import type { Logger } from '../logger';
import { HttpErrorCode } from './http-errors';
import { LIMIT_CODES, LimitCode, TOO_MANY_TOKENS_MESSAGE } from './limits/codes';
import { currentRequestState } from './request-state';

/** Codes that are safe to show a client as they are; anything else is masked. */
export const CLIENT_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  HttpErrorCode.RATE_LIMITED,
  HttpErrorCode.SERVICE_UNAVAILABLE,
  HttpErrorCode.REQUEST_TIMEOUT,
  HttpErrorCode.PAYLOAD_TOO_LARGE,
  ...LIMIT_CODES,
]);

/** graphql-js's "Did you mean ...?" hints (field, argument, type and enum value names). */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/**
 * Unexpected errors never reach the client: it gets INTERNAL_SERVER_ERROR and a request id,
 * and the server log gets the whole error under the same id. A database that is away (or a
 * statement past statement_timeout) is not a bug: the client gets SERVICE_UNAVAILABLE (or
 * REQUEST_TIMEOUT) and the plugin answers 503. In production, "Did you mean" hints are
 * removed: they would spell out the schema that introspection keeps private.
 */
export function makeFormatError(logger: Logger, production = false) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const result = format(formatted, error);
    currentRequestState()?.errorCodes.push(String(result.extensions?.code));
    // A message echoes what the client sent: at most 100 characters of it (boundEchoes).
    return { ...result, message: boundEchoes(production ? result.message.replace(SUGGESTION, '') : result.message) };
  };

  function format(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
    let code = formatted.extensions?.code;
    if (code === 'GRAPHQL_PARSE_FAILED' && TOO_MANY_TOKENS_MESSAGE.test(formatted.message)) code = LimitCode.TOO_MANY_TOKENS;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions: { ...extensions, code } };
    }
    const original = unwrapResolverError(error);
    const requestId = currentRequestState()?.requestId;
    const failure = classifyDatabaseError(original);
    if (failure) {
      logger.warn({ err: original, requestId, path: formatted.path }, failure === 'timeout' ? 'database statement timed out' : 'database unavailable');
      return {
        message:
          failure === 'timeout'
            ? 'The database took too long to answer (statement timeout); try again, or ask for less'
            : 'The database is unavailable; try again shortly',
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: failure === 'timeout' ? HttpErrorCode.REQUEST_TIMEOUT : HttpErrorCode.SERVICE_UNAVAILABLE, requestId },
      };
    }
    logger.error({ err: original, requestId, path: formatted.path }, 'unexpected error');
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
    };
  }
}
