import type { RequestContext } from '../graphql/context';
import { LruCache } from '../lib/lru-cache';
import { boardCacheKey, type BoardKeyPart } from './board-cache-key';

/**
 * Board views are read far more often than the data under them changes. Their computed results
 * are kept in memory under the database's board data version (board_data_version, bumped by
 * triggers in the same transaction as any change a board view shows). The version is read
 * first, so a result computed from newer data may be filed under an older version (harmless:
 * nobody asks for it again) but never the reverse. Each process keeps its own cache; several
 * instances stay correct because the version lives in the database.
 */
// One pair of caches per database handle: versions of different databases (tests, benchmarks) must never meet.
const cachesByDatabase = new WeakMap<object, { views: LruCache<string, unknown>; responses: LruCache<string, unknown> }>();

/** The board caches of the request's database: computed views (500 entries) and whole responses (200). */
export function boardCaches(ctx: RequestContext) {
  let caches = cachesByDatabase.get(ctx.db);
  if (!caches) {
    caches = { views: new LruCache(500), responses: new LruCache(200) };
    cachesByDatabase.set(ctx.db, caches);
  }
  return caches;
}

/** The cached result of the view `key` names (its name and arguments) at the current data version, computing it on a miss. */
export async function cachedBoardView<T>(ctx: RequestContext, key: readonly BoardKeyPart[], compute: () => Promise<T>): Promise<T> {
  const { views } = boardCaches(ctx);
  const fullKey = await boardCacheKey(ctx, key);
  if (views.has(fullKey)) return views.get(fullKey) as T;
  const value = await compute();
  views.set(fullKey, value);
  return value;
}
