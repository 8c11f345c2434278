import type { NextFunction, Request, Response } from 'express';
import { boundEchoes } from '../lib/bounded-text';
import type { Logger } from '../logger';
import { currentRequestState } from './request-state';

/** Codes the HTTP layer answers with itself, before or instead of Apollo. */
export const HttpErrorCode = {
  BAD_REQUEST: 'BAD_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  CORS_ORIGIN_NOT_ALLOWED: 'CORS_ORIGIN_NOT_ALLOWED',
  RATE_LIMITED: 'RATE_LIMITED',
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;

/** Records an error code the HTTP layer answers with (for the log line and metrics) and sets its headers. */
export function recordRefusal(res: Response, code: string, headers: Record<string, string> = {}): void {
  (currentRequestState() ?? res.req.requestState)?.errorCodes.push(code);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
}

/**
 * Answers with a GraphQL-shaped error body (so clients parse every failure the same way) and
 * records the code for the request's log line and metrics.
 */
export function sendGraphQLError(
  res: Response,
  status: number,
  code: string,
  message: string,
  extra: { extensions?: Record<string, unknown>; responseExtensions?: Record<string, unknown>; headers?: Record<string, string> } = {},
): void {
  recordRefusal(res, code, extra.headers);
  // Every GraphQL response carries extensions.cost (CONTRACT.md): one refused before it ran cost nothing.
  const graphql = res.req.originalUrl?.startsWith('/graphql') ? { cost: 0 } : {};
  res.status(status).json({
    errors: [{ message: boundEchoes(message), extensions: { code, ...extra.extensions } }],
    extensions: { requestId: res.req.requestId, ...graphql, ...extra.responseExtensions },
  });
}

/**
 * Express's own error page is HTML and, outside production, prints the stack. Body-parser
 * errors become clear 4xx GraphQL errors; anything else a masked 500 with the request id,
 * its details in the log only.
 */
export function httpErrorHandler(logger: Logger) {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const e = error as { type?: string; status?: number; statusCode?: number; limit?: number; charset?: string };
    const status = e.status ?? e.statusCode ?? 500;
    if (e.type === 'entity.too.large') {
      sendGraphQLError(res, 413, HttpErrorCode.PAYLOAD_TOO_LARGE, `The request body is larger than ${e.limit} bytes`);
    } else if (e.type === 'entity.parse.failed') {
      sendGraphQLError(res, 400, HttpErrorCode.BAD_REQUEST, 'The request body is not valid JSON');
    } else if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported') {
      sendGraphQLError(res, 415, HttpErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Send the body as UTF-8 JSON (no other charset or content encoding)');
    } else if (status >= 400 && status < 500) {
      sendGraphQLError(res, status, HttpErrorCode.BAD_REQUEST, 'The request could not be read');
    } else {
      logger.error({ err: error, requestId: req.requestId, path: req.path }, 'unexpected HTTP error');
      sendGraphQLError(res, 500, HttpErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error', { extensions: { requestId: req.requestId } });
    }
  };
}

/**
 * Answers 503 REQUEST_TIMEOUT when a request runs past `ms`. The work it started cannot be
 * cancelled (PostgreSQL's statement_timeout bounds the database side); whatever Apollo sends
 * later is dropped. A mutation that was already committing may still commit: clients retry
 * writes idempotently (importObservations is idempotent by design).
 */
export function requestTimeout(ms: number) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    if (ms <= 0) {
      next();
      return;
    }
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      sendGraphQLError(res, 503, HttpErrorCode.REQUEST_TIMEOUT, `The request took longer than ${ms} ms and was abandoned; try again, or ask for less`, {
        headers: { 'retry-after': '5' },
      });
      muteLateResponse(res);
    }, ms);
    timer.unref();
    const clear = () => clearTimeout(timer);
    res.on('finish', clear);
    res.on('close', clear);
    next();
  };
}

/** Turns the response's writers into no-ops, so a late answer cannot throw "headers already sent". */
function muteLateResponse(res: Response): void {
  const mutable = res as unknown as Record<string, unknown>;
  const self = () => res;
  for (const method of ['setHeader', 'appendHeader', 'removeHeader', 'writeHead', 'status', 'set', 'header', 'type', 'send', 'json', 'end']) {
    mutable[method] = self;
  }
  mutable.write = () => true;
}
