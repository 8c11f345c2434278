import { LRUCache } from 'lru-cache';
import { perDatabase, type RequestContext } from '../graphql/context';
import { monthStart } from '../statistics/periods';
import { boardDataVersion } from './board-cache-key';
import type { MeasureSeries } from './board.type';

/**
 * Computed series (pooled from the rollups, SPC, target, assurance, disclosure control) kept in
 * memory under the board data version, which triggers move in the same transaction as any change
 * to what a series reads (rollups, measures, targets, phases, org units). A dashboard polling
 * the same series, or 50 teams' small multiples, then costs one version read and no pooling.
 *
 * The key holds what the result depends on beyond the version: the measure, the unit, whether
 * this reader sees the unit under disclosure control (the disclosure table is the whole
 * installation's, the same for every controlled reader), the arguments as given, and this month
 * (a series with no data and no `to` ends at last month). A reader reaches a series only through a
 * unit its trusts may see, so the cache never widens what anyone can read. Bounded by points
 * (SERIES_CACHE_POINTS; 0 turns it off); one cache per database, as the board's.
 */
/** A series without the measure and unit it is of (the request's own objects are put back). */
export type ComputedSeries = Omit<MeasureSeries, 'measure' | 'orgUnit'>;
export type SeriesKeyPart = string | number | boolean | null | undefined;

const seriesCache = perDatabase((ctx): LRUCache<string, ComputedSeries> | null => {
  const maxPoints = ctx.config.seriesCachePoints;
  if (maxPoints <= 0) return null;
  return new LRUCache<string, ComputedSeries>({ maxSize: maxPoints, sizeCalculation: (series) => series.points.length + 1 });
});

/** The series `parts` name at the current data version, from memory or computed (and kept). Callers must not change what it returns. */
export async function cachedSeries(ctx: RequestContext, parts: readonly SeriesKeyPart[], compute: () => Promise<ComputedSeries>): Promise<ComputedSeries> {
  const cache = seriesCache(ctx);
  if (!cache) return compute();
  // The version first: a series computed from newer data may be filed under an older version (never asked for again), never the reverse.
  const key = [await boardDataVersion(ctx), monthStart(new Date()), ...parts].map(String).join('|');
  const hit = cache.get(key);
  if (hit) return hit;
  const series = await compute();
  cache.set(key, series);
  return series;
}
