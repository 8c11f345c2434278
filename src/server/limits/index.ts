import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, parse } from 'graphql';
import type { OperationLimits } from '../../config';
import { LruCache } from '../../lib/lru-cache';
import { operationCost } from './cost';
import { LimitCode, limitError, TOO_MANY_TOKENS_MESSAGE, type LimitViolation } from './codes';
import { checkStructure } from './structure';
import { currentRequestState } from '../request-state';

export { LIMIT_CODES, LimitCode, type LimitViolation } from './codes';
export { operationCost } from './cost';
export { checkStructure } from './structure';

const VERDICT_CACHE_SIZE = 1000;

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
  private readonly verdicts = new LruCache<string, LimitViolation | null>(VERDICT_CACHE_SIZE);

  constructor(private readonly limits: OperationLimits) {}

  check(query: string): LimitViolation | null {
    const key = createHash('sha256').update(query).digest('base64');
    if (this.verdicts.has(key)) return this.verdicts.get(key) as LimitViolation | null;
    const verdict = this.evaluate(query);
    this.verdicts.set(key, verdict);
    return verdict;
  }

  private evaluate(query: string): LimitViolation | null {
    let document;
    try {
      document = parse(query, { noLocation: true, ...(this.limits.maxTokens > 0 ? { maxTokens: this.limits.maxTokens } : {}) });
    } catch (error) {
      if (error instanceof GraphQLError && TOO_MANY_TOKENS_MESSAGE.test(error.message)) return tooManyTokens(this.limits.maxTokens);
      return null; // any other syntax error: Apollo answers it
    }
    return checkStructure(document, this.limits);
  }
}

export function tooManyTokens(limit: number): LimitViolation {
  return { code: LimitCode.TOO_MANY_TOKENS, actual: limit + 1, limit, message: `The document has more than ${limit} tokens; the limit is ${limit}` };
}

/**
 * The cost limit needs the schema and the request's variables (`first: $n`), so it runs once
 * the operation is resolved, before execution. Refused operations never start.
 */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin {
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
        },
      };
    },
  };
}
