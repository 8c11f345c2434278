import { responseCache, storedBytes } from './board-cache';

/** The whole-response caches' bounds: entries, and bytes of JSON (lru-cache does the evicting). */
describe('responseCache', () => {
  const response = (bytes: number) => ({ data: { s: 'x'.repeat(bytes - storedBytes({ data: { s: '' } })) } });

  test('an entry is charged the bytes of its JSON (UTF-8, not characters)', () => {
    expect(storedBytes(response(100))).toBe(100);
    expect(storedBytes({ data: { s: 'é' } })).toBe(Buffer.byteLength('{"data":{"s":"é"}}'));
  });

  test('the byte budget evicts the least recently used, and refuses one entry larger than the budget', () => {
    const cache = responseCache(100, 1000);
    cache.set('a', response(400));
    cache.set('b', response(400));
    expect(cache.get('a')).toBeDefined(); // a is now the most recent
    cache.set('c', response(400)); // 1,200 bytes > 1,000: b goes, though far fewer than 100 entries
    expect([cache.has('a'), cache.has('b'), cache.has('c'), cache.calculatedSize]).toEqual([true, false, true, 800]);
    cache.set('huge', response(1001));
    expect([cache.has('huge'), cache.has('a'), cache.has('c')]).toEqual([false, true, true]);
  });

  test('the entry count still bounds small responses', () => {
    const cache = responseCache(2, 1_000_000);
    for (const key of ['a', 'b', 'c']) cache.set(key, response(50));
    expect([cache.has('a'), cache.size]).toEqual([false, 2]);
  });
});
