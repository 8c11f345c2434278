import type { NextFunction, Request, Response } from 'express';
import { authenticate } from '../access/authenticate';
import { IdentityProviderUnavailable } from '../access/oidc';
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { Logger } from '../logger';
import { classifyDatabaseError } from '../db/unavailable';
import { ErrorCode } from '../graphql/errors';
import { HttpErrorCode, sendGraphQLError } from './http-errors';
import type { OperationGuard } from './limits';
import type { Metrics } from './metrics';
import type { RateLimitDecision, RateLimiter } from './rate-limit';
import type { RequestState } from './request-state';

/**
 * The cheap checks in front of Apollo on /graphql, in this order: who is asking (one indexed
 * lookup), whether they are over their rate budget, and whether the operation text is within
 * the structural limits. Doing them before Apollo means a flood of oversized or over-budget
 * requests never reaches parsing-plus-validation, where the CPU goes. /fhir runs the first two
 * as well, answering in its own format.
 */

/** A request turned away before it is served: each API answers it in its own format. */
export interface Refusal {
  status: 429 | 503;
  code: typeof HttpErrorCode.RATE_LIMITED | typeof HttpErrorCode.SERVICE_UNAVAILABLE;
  message: string;
  headers: Record<string, string>;
  rateLimit?: Record<string, number>;
}

export type Refuse = (res: Response, refusal: Refusal) => void;

/** /graphql's answer: a GraphQL-shaped error body. */
export const refuseAsGraphQL: Refuse = (res, refusal) =>
  sendGraphQLError(res, refusal.status, refusal.code, refusal.message, {
    headers: refusal.headers,
    ...(refusal.rateLimit ? { extensions: { rateLimit: refusal.rateLimit }, responseExtensions: { rateLimit: refusal.rateLimit } } : {}),
  });

export function authenticateRequest(db: Database, config: Config, refuse: Refuse = refuseAsGraphQL, logger: Logger | null = null) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      req.authentication = await authenticate(db.prisma, req.headers.authorization, config.adminApiKey, config.oidc);
    } catch (error) {
      if (error instanceof IdentityProviderUnavailable) {
        // Not the caller's fault, and not a reason to call its token bad: try again shortly.
        logger?.warn({ err: error, requestId: req.requestId }, 'identity provider keys unavailable: sign-in tokens refused with 503');
        refuse(res, { status: 503, code: HttpErrorCode.SERVICE_UNAVAILABLE, message: 'Sign-in tokens cannot be checked just now (the identity provider does not answer); try again shortly', headers: { 'retry-after': '5' } });
        return;
      }
      if (classifyDatabaseError(error) === null) throw error; // Express 5 passes it to the error handler
      refuse(res, { status: 503, code: HttpErrorCode.SERVICE_UNAVAILABLE, message: 'The database is unavailable; try again shortly', headers: { 'retry-after': '5' } });
      return;
    }
    if (req.authentication.ok) req.requestState.actor = req.authentication.actor.label;
    req.requestState.rateLimitSubject = subjectOf(req);
    next();
  };
}

/** The rate-limit subject: the credential when it is valid, otherwise the client's address. */
function subjectOf(req: Request): string {
  const authentication = req.authentication;
  if (authentication?.ok) return authentication.actor.subject;
  return `ip:${req.ip ?? 'unknown'}`;
}

export function rateLimitExtension(decision: RateLimitDecision): Record<string, number> {
  return { limit: decision.limit, remaining: decision.remaining, resetSeconds: decision.resetSeconds };
}

/**
 * `extensions.rateLimit` of a GraphQL response: the request budget (`limit`, `remaining`,
 * `resetSeconds`) and, when the points budget is on, `points` (`limit`, `cost` charged,
 * `remaining`, `resetSeconds`). Null when neither budget is on.
 */
export function rateLimitExtensions(state: RequestState | undefined): Record<string, unknown> | null {
  if (!state?.rateLimit && !state?.pointsRateLimit) return null;
  const points = state.pointsRateLimit;
  return {
    ...(state.rateLimit ? rateLimitExtension(state.rateLimit) : {}),
    ...(points ? { points: { limit: points.limit, cost: points.cost, remaining: points.remaining, resetSeconds: points.resetSeconds } } : {}),
  };
}

/** The points budget's headers, beside the request budget's RateLimit-* (exposed to browsers by cors.ts). */
export function pointsRateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    'ratelimit-points-limit': String(decision.limit),
    'ratelimit-points-remaining': String(decision.remaining),
    'ratelimit-points-reset': String(decision.resetSeconds),
  };
}

export function rateLimitRequest(limiter: RateLimiter | null, metrics: Metrics | null, refuse: Refuse = refuseAsGraphQL) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (!limiter) {
      next();
      return;
    }
    const decision = await limiter.consume(subjectOf(req));
    req.requestState.rateLimit = decision;
    // IETF draft "RateLimit header fields" names, as most gateways send them.
    res.setHeader('RateLimit-Limit', String(decision.limit));
    res.setHeader('RateLimit-Remaining', String(decision.remaining));
    res.setHeader('RateLimit-Reset', String(decision.resetSeconds));
    res.setHeader('RateLimit-Policy', `${decision.limit};w=60`);
    if (decision.allowed) {
      next();
      return;
    }
    metrics?.rateLimited.inc();
    refuse(res, {
      status: 429,
      code: HttpErrorCode.RATE_LIMITED,
      message: `Rate limit exceeded: ${decision.limit} requests a minute for this credential; try again in ${decision.resetSeconds} s`,
      headers: { 'retry-after': String(decision.resetSeconds) },
      rateLimit: rateLimitExtension(decision),
    });
  };
}

/** The query text and variables of a POST (JSON body) or GET (query string) request; batches are Apollo's to refuse. */
function operationOf(req: Request): { query: string; variables: unknown } | null {
  if (req.method === 'GET') {
    const query = req.query?.query;
    if (typeof query !== 'string') return null;
    const variables = req.query.variables;
    if (typeof variables !== 'string') return { query, variables: undefined };
    try {
      return { query, variables: JSON.parse(variables) as unknown };
    } catch {
      return { query, variables: undefined }; // Apollo answers malformed variables
    }
  }
  const body = req.body as unknown;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const { query, variables } = body as { query?: unknown; variables?: unknown };
    return typeof query === 'string' ? { query, variables } : null;
  }
  return null;
}

export function guardOperation(guard: OperationGuard) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const operation = operationOf(req);
    const { limit, input } = operation === null ? { limit: null, input: null } : guard.review(operation.query, operation.variables);
    if (!limit && !input) {
      next();
      return;
    }
    const rateLimit = req.requestState.rateLimit;
    const responseExtensions = rateLimit ? { responseExtensions: { rateLimit: rateLimitExtension(rateLimit) } } : {};
    // (extensions.cost: 0 is added by sendGraphQLError: the operation never ran)
    if (limit) sendGraphQLError(res, 400, limit.code, limit.message, { extensions: { limit: limit.limit, actual: limit.actual }, ...responseExtensions });
    // Like a variable Apollo cannot coerce: 400 BAD_USER_INPUT, and nothing runs.
    else sendGraphQLError(res, 400, ErrorCode.BAD_USER_INPUT, input!.message, responseExtensions);
  };
}
