import { perDatabase, type RequestContext } from '../graphql/context';
import { LRUCache } from 'lru-cache';
import { boardCacheKey, type BoardKeyPart } from './board-cache-key';

/** A cached response: its data (a response with errors is never cached). */
export type Stored = { data: Record<string, unknown> };

/**
 * A cache of whole responses, bounded by entries and by bytes (RESPONSE_CACHE_MAX_BYTES): a
 * faculty map of a few hundred teams is some hundred kilobytes, a board screen a few, so a
 * count alone would let a handful of large answers hold far more memory than many small
 * ones. An entry is charged the bytes of its JSON; one larger than the whole budget is not kept.
 */
export function responseCache(maxEntries: number, maxBytes: number): LRUCache<string, Stored> {
  return new LRUCache<string, Stored>({ max: maxEntries, maxSize: maxBytes, sizeCalculation: storedBytes });
}

/** The bytes `{"data":}` adds to the JSON of a response's data. */
const STORED_ENVELOPE_BYTES = Buffer.byteLength('{"data":}');

/** The bytes a stored response's JSON takes, from the JSON of its data (at least 1: lru-cache refuses a size of 0). */
export function storedBytesOfData(dataJson: string): number {
  return Math.max(1, Buffer.byteLength(dataJson) + STORED_ENVELOPE_BYTES);
}

/** The bytes the entry's JSON takes. */
export function storedBytes(stored: Stored): number {
  return storedBytesOfData(JSON.stringify(stored.data));
}

/**
 * Board views are read far more often than the data under them changes. Their computed results
 * are kept in memory under the database's board data version (board_data_version, bumped by
 * triggers in the same transaction as any change a board view shows). The version is read
 * first, so a result computed from newer data may be filed under an older version (harmless:
 * nobody asks for it again) but never the reverse. Each process keeps its own cache; several
 * instances stay correct because the version lives in the database.
 */
/** A computed view, boxed: lru-cache keeps no undefined or null, and a view may be null. */
type View = { value: unknown };

/**
 * The board caches of the request's database: computed views (500 entries; objects with no
 * cheap size) and whole responses (200 entries within RESPONSE_CACHE_MAX_BYTES).
 */
export const boardCaches = perDatabase((ctx) => ({ views: new LRUCache<string, View>({ max: 500 }), responses: responseCache(200, ctx.config.responseCacheMaxBytes) }));

/** The cached result of the view `key` names (its name and arguments) at the current data version, computing it on a miss. */
export async function cachedBoardView<T>(ctx: RequestContext, key: readonly BoardKeyPart[], compute: () => Promise<T>): Promise<T> {
  const { views } = boardCaches(ctx);
  const fullKey = await boardCacheKey(ctx, key);
  const hit = views.get(fullKey);
  if (hit) return hit.value as T;
  const value = await compute();
  views.set(fullKey, { value });
  return value;
}
