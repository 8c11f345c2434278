import type { OperationDefinitionNode } from 'graphql';
import { perDatabase, type RequestContext } from '../graphql/context';
import type { Application, GraphQLPluginFactory } from '../server/feature';
import { responseCache } from './board-cache';
import { boardDataVersion, disclosureIdentity } from './board-cache-key';
import { responseCachePlugin } from './board-response-cache';
import { selectsOnlyVersioned } from './versioned-selection';

/**
 * Whole-response cache for ordinary reads: an operation every field of which is declared
 * versioned by its feature (Feature.versionedReads: measures, org units, principles,
 * workstreams, people, the faculty map and coverage, series; src/board/versioned-selection.ts)
 * is answered from memory while the board data version has not moved (board_data_version,
 * bumped by triggers in the same transaction as any change to the tables those fields read; read
 * once before anything else). A dashboard or a faculty lead's page asking the same thing again
 * costs that one version read instead of its statements and execution.
 *
 * Entries are per reader: the role and scope as well as the disclosure identity (trusts, what
 * figures they may see), so no reader is ever answered with what another may see; and per hour,
 * so what depends on the date (a milestone falling due, a series ending last month) is never
 * older than that. Integration clients are never cached: what they may read also depends on
 * their client's units and measures, which the version does not cover.
 *
 * The request's database's cache holds READ_CACHE_ENTRIES responses within RESPONSE_CACHE_MAX_BYTES.
 */
const versionedResponses = perDatabase((ctx) => responseCache(ctx.config.readCacheEntries, ctx.config.responseCacheMaxBytes));

function readerIdentity(ctx: RequestContext): string | null {
  const { role, integrationClientId, scopePath } = ctx.actor;
  if (integrationClientId !== null) return null;
  return `${role}:${scopePath ?? ''}:${disclosureIdentity(ctx)}`;
}

/** The cache, answering what `application`'s features declare versioned; an operation's verdict is kept with its parsed document. */
export const versionedReadCachePlugin: GraphQLPluginFactory = (application: Application) => {
  const verdicts = new WeakMap<object, Map<string, boolean>>();
  return responseCachePlugin({
    answers: ({ document, operation, operationName, contextValue }) => {
      if (!document || !operation || contextValue.config.readCacheEntries === 0) return false;
      let byOperation = verdicts.get(document);
      if (!byOperation) verdicts.set(document, (byOperation = new Map()));
      const name = operationName ?? '';
      let verdict = byOperation.get(name);
      if (verdict === undefined) {
        verdict = selectsOnlyVersioned(application.schema, document, operation as OperationDefinitionNode, application.versionedReads);
        byOperation.set(name, verdict);
      }
      return verdict;
    },
    keyOf: async (ctx, digest) => {
      const reader = readerIdentity(ctx);
      if (reader === null) return null;
      return `${await boardDataVersion(ctx)}|read|${new Date().toISOString().slice(0, 13)}|${reader}|${digest}`;
    },
    responses: versionedResponses,
  })();
};
