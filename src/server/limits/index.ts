import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, parse } from 'graphql';
import type { OperationLimits } from '../../config';
import { LRUCache } from 'lru-cache';
import { operationCost } from './cost';
import { LimitCode, limitError, TOO_MANY_TOKENS_MESSAGE, type LimitViolation } from './codes';
import { checkStructure } from './structure';
import { nulInDocument, nulInVariables, nulMessage } from './text';
import { currentRequestState, type RequestState } from '../request-state';
import { HttpErrorCode } from '../http-errors';
import type { Metrics } from '../metrics';
import type { RateLimiter } from '../rate-limit';

export { LIMIT_CODES, LimitCode, type LimitViolation } from './codes';
export { operationCost } from './cost';
export { checkStructure } from './structure';
export { nulMessage, nulPath } from './text';

const VERDICT_CACHE_SIZE = 1000;
const TEXT_KEY_MAX_LENGTH = 4096;

/**
 * The limits that need no schema and no variables (tokens, depth, aliases, root fields,
 * directives), checked on the raw query text *before* Apollo validates it: graphql-js's own
 * validation rules all run in one pass and cannot be stopped by a custom rule, and some are
 * quadratic (OverlappingFieldsCanBeMerged on thousands of aliases took 250 ms here), so an
 * over-limit document must be refused before validation starts. Verdicts are cached by the
 * query's hash, as Apollo caches parsed documents, so a repeated query is not parsed twice.
 * A syntax error other than too many tokens is left to Apollo (400 GRAPHQL_PARSE_FAILED).
 */
export class OperationGuard {
  private readonly verdicts = new LRUCache<string, Verdict>({ max: VERDICT_CACHE_SIZE });

  constructor(private readonly limits: OperationLimits) {}

  check(query: string): LimitViolation | null {
    return this.verdict(query).limit;
  }

  /**
   * Both checks of a request, hashing its text once: the limits above, then the text it
   * carries, in its literals (cached with the limits) or in this request's variables. A NUL
   * character, which no text column can store, is bad input.
   */
  review(query: string, variables: unknown): { limit: LimitViolation | null; input: InputProblem | null } {
    const verdict = this.verdict(query);
    if (verdict.limit) return { limit: verdict.limit, input: null };
    const where = verdict.nulAt ?? nulInVariables(variables);
    return { limit: null, input: where ? { message: nulMessage(where) } : null };
  }

  private verdict(query: string): Verdict {
    // An ordinary operation is its own key (no hashing per request); a long one is keyed by its
    // hash, so the cache holds at most VERDICT_CACHE_SIZE × TEXT_KEY_MAX_LENGTH characters of text.
    // The prefixes keep a short text from ever meeting a long one's hash.
    const key = query.length <= TEXT_KEY_MAX_LENGTH ? `t${query}` : `h${createHash('sha256').update(query).digest('base64')}`;
    const cached = this.verdicts.get(key);
    if (cached) return cached;
    const verdict = this.evaluate(query);
    this.verdicts.set(key, verdict);
    return verdict;
  }

  private evaluate(query: string): Verdict {
    let document;
    try {
      document = parse(query, { noLocation: true, ...(this.limits.maxTokens > 0 ? { maxTokens: this.limits.maxTokens } : {}) });
    } catch (error) {
      if (error instanceof GraphQLError && TOO_MANY_TOKENS_MESSAGE.test(error.message)) return { limit: tooManyTokens(this.limits.maxTokens), nulAt: null };
      return { limit: null, nulAt: null }; // any other syntax error: Apollo answers it
    }
    return { limit: checkStructure(document, this.limits), nulAt: nulInDocument(document) };
  }
}

interface Verdict {
  limit: LimitViolation | null;
  /** where a string literal of the document holds a NUL, or null */
  nulAt: string | null;
}

/** Bad input found before the operation runs: answered 400 BAD_USER_INPUT. */
export interface InputProblem {
  message: string;
}

export function tooManyTokens(limit: number): LimitViolation {
  return { code: LimitCode.TOO_MANY_TOKENS, actual: limit + 1, limit, message: `The document has more than ${limit} tokens; the limit is ${limit}` };
}

/**
 * The cost limit needs the schema and the request's variables (`first: $n`), so it runs once
 * the operation is resolved, before execution. Refused operations never start.
 */
export function costLimitPlugin(maxCost: number, pointsBudget: RateLimiter | null = null, metrics: Metrics | null = null): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const cost = operationCost(schema, document, operation, request.variables);
          const state = currentRequestState();
          if (state) state.cost = cost;
          if (maxCost > 0 && cost > maxCost) {
            throw limitError({
              code: LimitCode.QUERY_TOO_COMPLEX,
              actual: cost,
              limit: maxCost,
              message: `The operation could return about ${cost} objects (each page of a connection counts its size, nested pages multiply); the limit is ${maxCost}. Ask for smaller pages or fewer nested lists.`,
            });
          }
          if (pointsBudget && state?.rateLimitSubject) await chargePoints(pointsBudget, state, cost, metrics);
        },
      };
    },
  };
}

/**
 * The points budget (RATE_LIMIT_POINTS_PER_MINUTE), GitHub and Shopify style: each operation
 * is charged its cost (at least 1 point) before it runs; one the budget left cannot cover is
 * refused with 429 RATE_LIMITED, not run and not charged. A costly query spends the budget
 * faster than a cheap one, which a count of requests cannot see.
 */
async function chargePoints(budget: RateLimiter, state: RequestState, cost: number, metrics: Metrics | null): Promise<void> {
  const points = Math.max(1, cost);
  const decision = await budget.spend(state.rateLimitSubject as string, points);
  state.pointsRateLimit = { ...decision, cost: decision.allowed ? points : 0 };
  if (decision.allowed) return;
  metrics?.rateLimited.inc();
  const retryAfter = points > budget.limit ? null : decision.resetSeconds;
  const message =
    points > budget.limit
      ? `The operation costs ${points} points, more than this credential's whole budget of ${budget.limit} a minute: ask for smaller pages or fewer nested lists`
      : `Rate limit exceeded: the operation costs ${points} points and this credential has ${decision.remaining} of its ${budget.limit} points a minute left; try again in ${decision.resetSeconds} s, or ask for less`;
  throw new GraphQLError(message, {
    extensions: {
      code: HttpErrorCode.RATE_LIMITED,
      cost: points,
      http: { status: 429, headers: new Map(retryAfter === null ? [] : [['retry-after', String(retryAfter)]]) },
    },
  });
}
