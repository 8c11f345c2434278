import type { RequestContext } from '../graphql/context';
import { LruCache } from '../lib/lru-cache';
import { disclosureIdentity } from '../board/board-cache-key';
import { responseCachePlugin } from '../board/board-response-cache';

/**
 * Whole-response cache for the faculty map and the coverage matrix: an operation whose root
 * fields are all map views (`principles`, `principle`, `coverage`) is answered from memory while
 * neither the board data version (org units, workstreams, measures and their links, targets,
 * rollups, ...) nor the map data version (people, a workstream's leads, principles and teams,
 * milestones, involvement, the audit log) has moved: both are bumped by triggers in the same
 * transaction as the change, and read here in one statement before anything else. Entries are
 * per reader: the role, integration client and scope as well as the disclosure identity, so no
 * reader is ever answered with what another may see. A map of a few hundred teams is some
 * hundred kilobytes of JSON built from thousands of objects per request; a hit costs the one
 * version read.
 */
const MAP_ROOT_FIELDS = new Set(['principles', 'principle', 'coverage', '__typename']);
const RESPONSES_KEPT = 100;

// One cache per database handle: versions of different databases (tests, benchmarks) must never meet.
const cachesByDatabase = new WeakMap<object, LruCache<string, unknown>>();

function mapResponses(ctx: RequestContext): LruCache<string, unknown> {
  let cache = cachesByDatabase.get(ctx.db);
  if (!cache) {
    cache = new LruCache(RESPONSES_KEPT);
    cachesByDatabase.set(ctx.db, cache);
  }
  return cache;
}

const VERSIONS_MEMO = 'mapDataVersions';

/** The board and map data versions, read once per request (until a write in it commits). */
export function mapDataVersions(ctx: RequestContext): Promise<string> {
  let versions = ctx.memo.get(VERSIONS_MEMO) as Promise<string> | undefined;
  if (!versions) {
    versions = ctx.prisma
      .$queryRawUnsafe<Array<{ board: bigint | number | null; map: bigint | number | null }>>(
        'SELECT (SELECT version FROM board_data_version WHERE id = 1) AS board, (SELECT version FROM map_data_version WHERE id = 1) AS map',
      )
      .then((rows) => `${rows[0]?.board ?? 0}.${rows[0]?.map ?? 0}`);
    ctx.memo.set(VERSIONS_MEMO, versions);
  }
  return versions;
}

function readerIdentity(ctx: RequestContext): string {
  const { role, integrationClientId, scopePath } = ctx.actor;
  return `${role}:${integrationClientId ?? ''}:${scopePath ?? ''}:${disclosureIdentity(ctx)}`;
}

export const mapResponseCachePlugin = responseCachePlugin({
  rootFields: MAP_ROOT_FIELDS,
  keyOf: async (ctx, digest) => `${await mapDataVersions(ctx)}|${readerIdentity(ctx)}|${digest}`,
  responses: mapResponses,
});
