import Redis from 'ioredis';
import type { Logger } from '../logger';

/**
 * Rate limiting per credential: a fixed window of `limit` requests per minute for each
 * subject (an API key, the operator key, or the client IP when no credential is sent).
 * In-process by default; with REDIS_URL the counters live in Redis, so every instance
 * behind a load balancer draws on one budget. A fixed window is simple and identical in both
 * stores (one atomic INCR in Redis); its known weakness, up to 2× the budget across a window
 * boundary, is acceptable for a per-minute budget.
 */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** seconds until the window resets */
  resetSeconds: number;
}

export interface RateLimitStore {
  /** counts one request for `subject`; returns the window's count so far and ms until it resets */
  hit(subject: string, windowMs: number): Promise<{ count: number; resetMs: number }>;
  close(): Promise<void>;
}

const WINDOW_MS = 60_000;

export class RateLimiter {
  private lastStoreErrorLog = 0;
  /** called on each store failure (the metrics count them) */
  onStoreError: (() => void) | null = null;

  constructor(
    private readonly store: RateLimitStore,
    readonly limit: number,
    private readonly logger: Logger,
    private readonly windowMs = WINDOW_MS,
  ) {}

  async consume(subject: string): Promise<RateLimitDecision> {
    try {
      const { count, resetMs } = await this.store.hit(subject, this.windowMs);
      return {
        allowed: count <= this.limit,
        limit: this.limit,
        remaining: Math.max(0, this.limit - count),
        resetSeconds: Math.max(1, Math.ceil(resetMs / 1000)),
      };
    } catch (error) {
      // Fail open: a broken Redis must not take the API down with it. Logged at most every 10 s.
      this.onStoreError?.();
      if (Date.now() - this.lastStoreErrorLog > 10_000) {
        this.lastStoreErrorLog = Date.now();
        this.logger.warn({ err: error }, 'rate-limit store unavailable; allowing requests unmetered');
      }
      return { allowed: true, limit: this.limit, remaining: this.limit, resetSeconds: Math.ceil(this.windowMs / 1000) };
    }
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/** Counters in a Map; expired windows are swept as the map grows, so memory stays bounded. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private nextSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async hit(subject: string, windowMs: number): Promise<{ count: number; resetMs: number }> {
    const now = this.now();
    if (now >= this.nextSweep) {
      for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
      this.nextSweep = now + windowMs;
    }
    let window = this.windows.get(subject);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs };
      this.windows.set(subject, window);
    }
    window.count += 1;
    return { count: window.count, resetMs: window.resetAt - now };
  }

  async close(): Promise<void> {
    this.windows.clear();
  }
}

// INCR, start the window's clock on the first hit, and report the time left, in one round trip.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
`;

type RedisWithHit = Redis & { rcgRateLimitHit(key: string, windowMs: number): Promise<[number, number]> };

export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: RedisWithHit;

  constructor(url: string, private readonly prefix: string, logger: Logger) {
    this.redis = new Redis(url, {
      // Never queue or retry a request's command while Redis is away: fail (open) at once.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 500,
      connectTimeout: 2000,
      // ioredis keeps a timer this long after disconnecting from a socket that never opened.
      disconnectTimeout: 100,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    }) as RedisWithHit;
    let reported = false;
    this.redis.on('error', (error: Error) => {
      if (!reported) logger.warn({ err: error }, 'redis connection error (rate limits fail open until it returns)');
      reported = true;
    });
    this.redis.on('ready', () => {
      reported = false;
    });
    this.redis.defineCommand('rcgRateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
  }

  /** resolves once connected, or after `timeoutMs` (requests fail open meanwhile) */
  async ready(timeoutMs: number): Promise<boolean> {
    if (this.redis.status === 'ready') return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.redis.once('ready', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  async hit(subject: string, windowMs: number): Promise<{ count: number; resetMs: number }> {
    const [count, ttl] = await this.redis.rcgRateLimitHit(`${this.prefix}${subject}`, windowMs);
    return { count: Number(count), resetMs: Number(ttl) };
  }

  async close(): Promise<void> {
    // quit() flushes politely when connected; otherwise stop the reconnect loop at once.
    if (this.redis.status === 'ready') {
      try {
        await this.redis.quit();
        return;
      } catch {
        // fall through
      }
    }
    this.redis.disconnect(false);
  }
}
