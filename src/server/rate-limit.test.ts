import pino from 'pino';
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { memoryRateLimitStore, RateLimiter } from './rate-limit';

const silent = pino({ level: 'silent' });

describe('rate limiter (in-process store, rate-limiter-flexible)', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  test('counts per subject within a window, refuses past the budget, and resets with the window', async () => {
    const limiter = new RateLimiter(memoryRateLimitStore().limiter('', 3), 3, silent);
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(await limiter.consume('key:1'));
    expect(seen.map((d) => [d.allowed, d.remaining])).toEqual([[true, 2], [true, 1], [true, 0], [false, 0]]);
    expect(seen[3].resetSeconds).toBe(60);
    expect((await limiter.consume('key:2')).allowed).toBe(true); // another credential, its own budget

    jest.advanceTimersByTime(30_000);
    expect(await limiter.consume('key:1')).toMatchObject({ allowed: false, resetSeconds: 30 });
    jest.advanceTimersByTime(30_000);
    expect(await limiter.consume('key:1')).toMatchObject({ allowed: true, remaining: 2, resetSeconds: 60 });
  });

  test('spend charges a cost only when the budget covers it: a refused operation is not charged', async () => {
    const budget = new RateLimiter(memoryRateLimitStore().limiter('points:', 100), 100, silent);
    // 100 points: 60 spent leaves 40; a 50-point operation is refused and leaves 40; a 40-point one fits exactly, leaving 0
    expect(await budget.spend('key:1', 60)).toMatchObject({ allowed: true, remaining: 40 });
    expect(await budget.spend('key:1', 50)).toMatchObject({ allowed: false, remaining: 40, resetSeconds: 60 });
    expect(await budget.spend('key:1', 40)).toMatchObject({ allowed: true, remaining: 0 });
    expect(await budget.spend('key:1', 1)).toMatchObject({ allowed: false, remaining: 0 });
    // the window passes: the whole budget again
    jest.advanceTimersByTime(60_000);
    expect(await budget.spend('key:1', 100)).toMatchObject({ allowed: true, remaining: 0 });
  });

  test("expired windows are dropped by their timers, so memory holds only the last minute's subjects", async () => {
    const backend = memoryRateLimitStore().limiter('', 5) as RateLimiterMemory;
    const limiter = new RateLimiter(backend, 5, silent);
    for (let i = 0; i < 1000; i++) await limiter.consume(`ip:${i}`);
    const storage = (backend as unknown as { _memoryStorage: { _storage: Map<string, unknown> } })._memoryStorage._storage;
    expect(storage.size).toBe(1000);
    jest.advanceTimersByTime(61_000);
    await limiter.consume('ip:new');
    expect(storage.size).toBe(1);
  });

  test('a failing store lets requests through (fail open) and reports it', async () => {
    const broken = { consume: () => Promise.reject(new Error('redis down')), reward: () => Promise.reject(new Error('redis down')) } as unknown as RateLimiterAbstract;
    const limiter = new RateLimiter(broken, 5, silent);
    let failures = 0;
    limiter.onStoreError = () => failures++;
    expect(await limiter.consume('key:1')).toMatchObject({ allowed: true, limit: 5 });
    expect(await limiter.spend('key:1', 3)).toMatchObject({ allowed: true, limit: 5 });
    expect(failures).toBe(2);
  });
});
