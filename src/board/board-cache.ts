import { can, isScoped } from '../auth/actor';
import type { RequestContext } from '../graphql/context';

/**
 * Board views are read far more often than the data under them changes. Their computed results
 * are kept in memory under the database's board data version (board_data_version, bumped by
 * triggers in the same transaction as any change a board view shows). The version is read
 * first, so a result computed from newer data may be filed under an older version (harmless:
 * nobody asks for it again) but never the reverse. Each process keeps its own cache; several
 * instances stay correct because the version lives in the database.
 */
const MAX_ENTRIES = 500;
// One cache per database handle: versions of different databases (tests, benchmarks) must never meet.
const cachesByDatabase = new WeakMap<object, Map<string, unknown>>();

export function cacheFor(ctx: RequestContext, name: string): Map<string, unknown> {
  let byName = cachesByDatabase.get(ctx.db) as Map<string, unknown> | undefined;
  if (!byName) {
    byName = new Map();
    cachesByDatabase.set(ctx.db, byName);
  }
  let cache = byName.get(name) as Map<string, unknown> | undefined;
  if (!cache) {
    cache = new Map();
    byName.set(name, cache);
  }
  return cache;
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
  const entries = cacheFor(ctx, 'views');
  const fullKey = `${await boardDataVersion(ctx)}|${disclosureIdentity(ctx)}|${key}`;
  if (entries.has(fullKey)) {
    const hit = entries.get(fullKey) as T;
    // Re-insert: a Map iterates in insertion order, so the oldest entry is evicted first.
    entries.delete(fullKey);
    entries.set(fullKey, hit);
    return hit;
  }
  const value = await compute();
  entries.set(fullKey, value);
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
  return value;
}
