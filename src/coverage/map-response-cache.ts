import type { RequestContext } from '../graphql/context';
import { boardDataVersion, disclosureIdentity } from '../board/board-cache-key';
import { responseCache } from '../board/board-cache';
import { responseCachePlugin } from '../board/board-response-cache';

/**
 * Whole-response cache for the faculty map and the coverage matrix: an operation whose root
 * fields are all map views (`principles`, `principle`, `coverage`) is answered from memory while
 * the board data version has not moved (board_data_version, bumped by triggers in the same
 * transaction as any change to org units, workstreams and their leads, principles and teams,
 * milestones, involvement, people, measures and their links, targets, rollups, ...; read once
 * before anything else). Entries are per reader: the role, integration client and scope as well
 * as the disclosure identity, so no reader is ever answered with what another may see. A map of
 * a few hundred teams is some hundred kilobytes of JSON built from thousands of objects per
 * request; a hit costs the one version read.
 */
const MAP_ROOT_FIELDS = new Set(['principles', 'principle', 'coverage', '__typename']);
const RESPONSES_KEPT = 100;

// One cache per database handle: versions of different databases (tests, benchmarks) must never meet.
const cachesByDatabase = new WeakMap<object, ReturnType<typeof responseCache>>();

/** The request's database's map responses: at most RESPONSES_KEPT, within RESPONSE_CACHE_MAX_BYTES. */
function mapResponses(ctx: RequestContext): ReturnType<typeof responseCache> {
  let cache = cachesByDatabase.get(ctx.db);
  if (!cache) {
    cache = responseCache(RESPONSES_KEPT, ctx.config.responseCacheMaxBytes);
    cachesByDatabase.set(ctx.db, cache);
  }
  return cache;
}

function readerIdentity(ctx: RequestContext): string {
  const { role, integrationClientId, scopePath } = ctx.actor;
  return `${role}:${integrationClientId ?? ''}:${scopePath ?? ''}:${disclosureIdentity(ctx)}`;
}

export const mapResponseCachePlugin = responseCachePlugin({
  rootFields: MAP_ROOT_FIELDS,
  keyOf: async (ctx, digest) => `${await boardDataVersion(ctx)}|map|${readerIdentity(ctx)}|${digest}`,
  responses: mapResponses,
});
