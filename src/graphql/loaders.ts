import DataLoader from 'dataloader';
import { groupBy } from '../lib/group-by';

/**
 * The two shapes nearly every DataLoader has. Both make one query for all the keys a request
 * asks for in a tick, whatever the number of items that ask (N+1 stays impossible).
 */

/** One row per key (by id, by code): null where there is none. */
export function loaderByKey<K, Row, T>(fetch: (keys: K[]) => Promise<Row[]>, keyOf: (row: Row) => K, map: (row: Row) => T): DataLoader<K, T | null> {
  return new DataLoader<K, T | null>(async (keys) => {
    const found = new Map((await fetch([...keys])).map((row) => [keyOf(row), map(row)]));
    return keys.map((key) => found.get(key) ?? null);
  });
}

/** Many rows per key (the links or children of each): in the order fetched, [] where there are none. */
export function loaderOfLists<K, Row, T>(fetch: (keys: K[]) => Promise<Row[]>, keyOf: (row: Row) => K, map: (row: Row) => T): DataLoader<K, T[]> {
  return new DataLoader<K, T[]>(async (keys) => {
    const groups = groupBy(await fetch([...keys]), keyOf, map);
    return keys.map((key) => groups.get(key) ?? []);
  });
}
