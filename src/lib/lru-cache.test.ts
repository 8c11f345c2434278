import { LruCache } from './lru-cache';

describe('LruCache', () => {
  test('holds at most its capacity, dropping the least recently used; reading refreshes an entry', () => {
    const cache = new LruCache<string, number | null>(2);
    cache.set('a', 1);
    cache.set('b', null); // a stored null is a value, not a miss
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3); // evicts b
    expect([cache.has('a'), cache.has('b'), cache.has('c'), cache.size]).toEqual([true, false, true, 2]);
    expect(cache.get('b')).toBeUndefined();
    cache.set('a', 10); // re-setting refreshes too
    cache.set('d', 4); // evicts c
    expect([cache.get('a'), cache.has('c'), cache.get('d')]).toEqual([10, false, 4]);
    const nulls = new LruCache<string, null>(1);
    nulls.set('x', null);
    expect([nulls.has('x'), nulls.get('x')]).toEqual([true, null]);
  });
});
