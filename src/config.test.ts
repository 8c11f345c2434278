import { loadConfig } from './config';

describe('RESPONSE_CACHE_MAX_BYTES', () => {
  test('defaults to 64 MiB, takes a byte count, and refuses 0 (lru-cache has no empty budget) or nonsense', () => {
    expect(loadConfig({}).responseCacheMaxBytes).toBe(64 * 1024 * 1024);
    expect(loadConfig({ RESPONSE_CACHE_MAX_BYTES: '1000000' }).responseCacheMaxBytes).toBe(1_000_000);
    expect(() => loadConfig({ RESPONSE_CACHE_MAX_BYTES: '0' })).toThrow('RESPONSE_CACHE_MAX_BYTES must be a positive integer');
    expect(() => loadConfig({ RESPONSE_CACHE_MAX_BYTES: '64MB' })).toThrow('RESPONSE_CACHE_MAX_BYTES must be a non-negative integer');
  });
});
