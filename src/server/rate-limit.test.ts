import pino from 'pino';
import { MemoryRateLimitStore, RateLimiter, type RateLimitStore } from './rate-limit';

const silent = pino({ level: 'silent' });

describe('rate limiter (in-process store)', () => {
  test('counts per subject within a window, refuses past the budget, and resets with the window', async () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(new MemoryRateLimitStore(() => now), 3, silent);
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(await limiter.consume('key:1'));
    expect(seen.map((d) => [d.allowed, d.remaining])).toEqual([[true, 2], [true, 1], [true, 0], [false, 0]]);
    expect(seen[3].resetSeconds).toBe(60);
    expect((await limiter.consume('key:2')).allowed).toBe(true); // another credential, its own budget

    now += 30_000;
    expect(await limiter.consume('key:1')).toMatchObject({ allowed: false, resetSeconds: 30 });
    now += 30_000;
    expect(await limiter.consume('key:1')).toMatchObject({ allowed: true, remaining: 2, resetSeconds: 60 });
  });

  test('expired windows are swept, so memory stays bounded', async () => {
    let now = 0;
    const store = new MemoryRateLimitStore(() => now);
    for (let i = 0; i < 1000; i++) await store.hit(`ip:${i}`, 60_000);
    now += 61_000;
    await store.hit('ip:new', 60_000);
    expect((store as unknown as { windows: Map<string, unknown> }).windows.size).toBe(1);
  });

  test('a failing store lets requests through (fail open) and reports it', async () => {
    const broken: RateLimitStore = { hit: () => Promise.reject(new Error('redis down')), close: async () => undefined };
    const limiter = new RateLimiter(broken, 5, silent);
    let failures = 0;
    limiter.onStoreError = () => failures++;
    expect(await limiter.consume('key:1')).toMatchObject({ allowed: true, limit: 5 });
    expect(failures).toBe(1);
  });
});
