import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContext } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import type { RequestContext } from '../graphql/context';
import type { LRUCache } from 'lru-cache';
import { rememberSerialized } from '../server/serialized-results';
import { boardCaches, storedBytesOfData, type Stored } from './board-cache';
import { boardCacheKey } from './board-cache-key';

/**
 * Whole-response cache for board screens: an operation whose root fields are all board views
 * (scorecard, drillDown, exceptions) is answered from memory while the board data version is
 * unchanged, for readers with the same disclosure. Execution is skipped entirely; dashboards
 * polling the same screen cost one version read. The resolver-level cache (board-cache.ts)
 * still serves mixed operations.
 */
const BOARD_ROOT_FIELDS = new Set(['scorecard', 'drillDown', 'exceptions', '__typename']);

/** What a whole-response cache answers, filed under a key of the data version(s) and reader. */
export interface ResponseCacheOptions {
  /** Whether the resolved operation may be answered from the cache. */
  answers: (requestContext: GraphQLRequestContext<RequestContext>) => boolean;
  /** The key of a request (its digest) for this reader at the current data version(s); null: this reader is not cached. */
  keyOf: (ctx: RequestContext, digest: string) => Promise<string | null>;
  /** The cache of the request's database. */
  responses: (ctx: RequestContext) => LRUCache<string, Stored>;
}

/** Whether `operation` is a query of only these root fields (and at least one of them). */
function onlyRootFields(operation: OperationDefinitionNode | undefined, rootFields: ReadonlySet<string>): boolean {
  const selections = operation?.operation === 'query' ? operation.selectionSet.selections : [];
  return (
    selections.some((s) => s.kind === Kind.FIELD && s.name.value !== '__typename') &&
    selections.every((s) => s.kind === Kind.FIELD && rootFields.has(s.name.value))
  );
}

/**
 * A whole-response cache (the board's; reads under the board data version): execution is
 * skipped on a hit, and the stored JSON is sent as it was serialised (src/server/serialized-results.ts).
 */
export function responseCachePlugin(options: ResponseCacheOptions): () => ApolloServerPlugin<RequestContext> {
  return () => ({
    async requestDidStart() {
      let cacheKey: string | null = null;
      return {
        async responseForOperation(requestContext: GraphQLRequestContext<RequestContext>) {
          if (!options.answers(requestContext)) return null;
          const ctx = requestContext.contextValue;
          // `{ __typename }` is answered without a key; with no actor there is no disclosure to key
          // the cache on (reading ctx.actor would throw from this unguarded hook: HTTP 500).
          if (!ctx.isAuthenticated) return null;
          const digest = createHash('sha1')
            .update(requestContext.source ?? '')
            .update('\u0000')
            .update(JSON.stringify(requestContext.request.variables ?? {}))
            .update('\u0000')
            .update(requestContext.operationName ?? '')
            .digest('hex');
          try {
            cacheKey = await options.keyOf(ctx, digest);
          } catch {
            // The version could not be read (the database away, say): execute, uncached, so the
            // operation fails, or not, as it would without a cache (503 SERVICE_UNAVAILABLE, not a 500 from this hook).
            cacheKey = null;
          }
          if (cacheKey === null) return null;
          const hit = options.responses(ctx).get(cacheKey);
          if (!hit) return null;
          return { body: { kind: 'single', singleResult: { data: hit.data } }, http: { status: undefined, headers: new HeaderMap() } };
        },
        async willSendResponse({ response, contextValue }) {
          if (cacheKey === null || response.body.kind !== 'single') return;
          const responses = options.responses(contextValue);
          const { data, errors } = response.body.singleResult;
          if (errors || !data || responses.has(cacheKey)) return;
          // Serialised once: its length is the entry's size, and every hit sends it as it is.
          const json = JSON.stringify(data);
          rememberSerialized(data, json);
          responses.set(cacheKey, { data }, { size: storedBytesOfData(json) });
        },
      };
    },
  });
}

export const boardResponseCachePlugin = responseCachePlugin({
  answers: ({ operation }) => onlyRootFields(operation as OperationDefinitionNode | undefined, BOARD_ROOT_FIELDS),
  keyOf: (ctx, digest) => boardCacheKey(ctx, [digest]),
  responses: (ctx) => boardCaches(ctx).responses,
});
