import type { NextFunction, Request, Response } from 'express';
import { withSqlCounter } from '../db/sql-counter';
import type { Logger } from '../logger';
import { CLIENT_CODES } from './format-error';
import { HttpErrorCode } from './http-errors';
import type { Metrics } from './metrics';
import { requestIdFrom } from './request-id';
import { newRequestState, requestStateStorage, type RequestState } from './request-state';

/** Error codes the server itself sends; any other value is counted as OTHER in the metrics' labels. */
const KNOWN_CODES: ReadonlySet<string> = new Set([...CLIENT_CODES, ...Object.values(HttpErrorCode)]);

function routeOf(path: string): string {
  if (path === '/graphql' || path.startsWith('/graphql/')) return 'graphql';
  if (path === '/healthz' || path === '/readyz' || path === '/metrics') return path.slice(1);
  if (path === '/fhir' || path.startsWith('/fhir/')) return 'fhir';
  if (path === '/board-pack' || path.startsWith('/board-pack/')) return 'board-pack';
  if (path === '/charts' || path.startsWith('/charts/')) return 'charts';
  if (path === '/you-said-we-did' || path.startsWith('/you-said-we-did/')) return 'you-said-we-did';
  if (path.startsWith('/explorer/')) return 'explorer';
  return 'other';
}

/** `ok`, the first error code sent, `HTTP_<status>` for an error without one, or `aborted` (client gone). */
export function outcomeOf(state: RequestState, status: number, aborted: boolean): string {
  if (aborted) return 'aborted';
  const code = state.errorCodes[0];
  if (code) return KNOWN_CODES.has(code) ? code : 'OTHER';
  return status >= 400 ? `HTTP_${status}` : 'ok';
}

/**
 * Gives every request its id (echoed in X-Request-Id), its SQL statement counter and its
 * state, and when the response is done writes one structured log line (GraphQL requests:
 * request id, actor, operation, duration, SQL statements, cost, status, outcome) and the
 * metrics. Done here, at the HTTP layer, so requests refused before Apollo (limits, rate
 * limits, bad JSON, timeouts) are logged and counted like the rest.
 */
export function observeRequests(logger: Logger, metrics: Metrics | null) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    const state = newRequestState(requestId, { statements: 0 });
    req.requestId = requestId;
    req.sqlCounter = state.sqlCounter;
    req.requestState = state;
    res.setHeader('x-request-id', requestId);

    let recorded = false;
    const record = (aborted: boolean) => {
      if (recorded) return;
      recorded = true;
      // originalUrl: inside a mounted router Express has stripped req.path of its mount point.
      const path = req.originalUrl.split('?')[0];
      const route = routeOf(path);
      const seconds = Number(process.hrtime.bigint() - state.startedAt) / 1e9;
      const status = res.statusCode;
      metrics?.observeHttp(route, req.method, status);
      if (state.observationRows) metrics?.observeObservationRows(state.observationRows);
      if (route !== 'graphql') {
        const line = { requestId, method: req.method, path, status, durationMs: round(seconds * 1000) };
        // A FHIR import is a feed the trust watches: logged like a GraphQL request; the rest at debug.
        if (state.observationRows) logger.info({ ...line, actor: state.actor, observationRows: state.observationRows }, 'http request');
        else logger.debug(line, 'http request');
        return;
      }
      const outcome = outcomeOf(state, status, aborted);
      metrics?.observeGraphql(state.operationName, state.operationType, outcome, seconds, state.sqlCounter.statements);
      logger.info(
        {
          requestId,
          actor: state.actor,
          operationName: state.operationName,
          operationType: state.operationType,
          durationMs: round(seconds * 1000),
          sqlStatements: state.sqlCounter.statements,
          cost: state.cost,
          status,
          outcome,
          errorCodes: state.errorCodes,
          ...(state.rateLimit ? { rateLimitRemaining: state.rateLimit.remaining } : {}),
          ...(state.observationRows ? { observationRows: state.observationRows } : {}),
        },
        'graphql request',
      );
    };
    res.on('finish', () => record(false));
    res.on('close', () => record(!res.writableFinished));
    requestStateStorage.run(state, () => withSqlCounter(state.sqlCounter, next));
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
