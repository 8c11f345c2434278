import { can, isScoped } from '../access/actor';
import type { RequestContext } from '../graphql/context';
import { LruCache } from '../lib/lru-cache';

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

/** What a reader may see: all true figures, those of one subtree, or none. */
export function disclosureIdentity(ctx: RequestContext): string {
  if (!can(ctx.actor, 'seeUnsuppressed')) return 'suppressed';
  return isScoped(ctx.actor) ? `scope:${ctx.actor.scopePath}` : 'all';
}

// Read once per request (until a write in it commits): the response cache and the view cache
// both key on it, and one read also keeps both on the same version.
const VERSION_MEMO = 'boardDataVersion';

export function boardDataVersion(ctx: RequestContext): Promise<string> {
  let version = ctx.memo.get(VERSION_MEMO) as Promise<string> | undefined;
  if (!version) {
    version = ctx.prisma
      .$queryRawUnsafe<Array<{ version: bigint | number }>>('SELECT version FROM board_data_version WHERE id = 1')
      .then((rows) => String(rows[0]?.version ?? 0));
    ctx.memo.set(VERSION_MEMO, version);
  }
  return version;
}

/** The cached result for `key` at the current data version, computing it on a miss. */
export async function cachedBoardView<T>(ctx: RequestContext, key: string, compute: () => Promise<T>): Promise<T> {
  const { views } = boardCaches(ctx);
  const fullKey = `${await boardDataVersion(ctx)}|${disclosureIdentity(ctx)}|${key}`;
  if (views.has(fullKey)) return views.get(fullKey) as T;
  const value = await compute();
  views.set(fullKey, value);
  return value;
}
