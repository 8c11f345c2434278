import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '../logger';

/**
 * Rate limiting per credential (an API key, a signed-in person, the operator key, or the
 * client address when no valid credential is sent), on `rate-limiter-flexible`: in-process by
 * default; with REDIS_URL the counters live in Redis (one atomic Lua INCRBY-with-expiry per
 * call), so every instance behind a load balancer draws on one budget. Each budget is a fixed
 * one-minute window from the subject's first use, identical in both stores; its known weakness,
 * up to 2x the budget across a window boundary, is acceptable for a per-minute budget.
 *
 * Two budgets use it (README "Rate limits"): requests a minute (RATE_LIMIT_PER_MINUTE), counted
 * before anything is parsed, and cost points a minute (RATE_LIMIT_POINTS_PER_MINUTE), charged
 * with each GraphQL operation's cost once it is known and before it runs.
 */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** seconds until the window resets */
  resetSeconds: number;
}

const WINDOW_SECONDS = 60;

export class RateLimiter {
  private lastStoreErrorLog = 0;
  /** called on each store failure (the metrics count them) */
  onStoreError: (() => void) | null = null;

  constructor(
    private readonly backend: RateLimiterAbstract,
    readonly limit: number,
    private readonly logger: Logger,
    private readonly closeStore: () => Promise<void> = async () => undefined,
  ) {}

  /** Counts `points` for `subject`, allowed or not (a refused request still spends: no free retries). */
  async consume(subject: string, points = 1): Promise<RateLimitDecision> {
    try {
      return this.decision(await this.backend.consume(subject, points), true);
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) return this.decision(outcome, false);
      return this.failOpen(outcome);
    }
  }

  /**
   * Charges `points` only if the budget still covers them: an operation refused for its cost is
   * not charged (as Shopify's and GitHub's GraphQL APIs do), so a client that asks for less next
   * time is not punished for having asked. `remaining` is what is left after the charge.
   */
  async spend(subject: string, points: number): Promise<RateLimitDecision> {
    try {
      return this.decision(await this.backend.consume(subject, points), true);
    } catch (outcome) {
      if (!(outcome instanceof RateLimiterRes)) return this.failOpen(outcome);
      // Charged, then refunded: between the two, a concurrent request of the same credential may
      // see the budget short by this cost (and be refused a little early); never the reverse.
      try {
        await this.backend.reward(subject, points);
      } catch (error) {
        return this.failOpen(error);
      }
      // what was left before this charge
      const left = Math.max(0, this.limit - (outcome.consumedPoints - points));
      return { ...this.decision(outcome, false), remaining: left };
    }
  }

  private decision(res: RateLimiterRes, allowed: boolean): RateLimitDecision {
    return {
      allowed,
      limit: this.limit,
      remaining: Math.max(0, this.limit - res.consumedPoints),
      resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
    };
  }

  /** A broken Redis must not take the API down with it: allowed, unmetered, logged at most every 10 s. */
  private failOpen(error: unknown): RateLimitDecision {
    this.onStoreError?.();
    if (Date.now() - this.lastStoreErrorLog > 10_000) {
      this.lastStoreErrorLog = Date.now();
      this.logger.warn({ err: error }, 'rate-limit store unavailable; allowing requests unmetered');
    }
    return { allowed: true, limit: this.limit, remaining: this.limit, resetSeconds: WINDOW_SECONDS };
  }

  close(): Promise<void> {
    return this.closeStore();
  }
}

/** Where the budgets live: this process, or a Redis shared by every instance. */
export interface RateLimitStore {
  limiter(name: string, points: number): RateLimiterAbstract;
  close(): Promise<void>;
}

export function memoryRateLimitStore(): RateLimitStore {
  return {
    // The subject's window expires with a timer (unref'd), so memory stays bounded by the subjects of the last minute.
    limiter: (name, points) => new RateLimiterMemory({ keyPrefix: name, points, duration: WINDOW_SECONDS }),
    close: async () => undefined,
  };
}

export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: Redis;

  /** `prefix` then the subject is each key (`rcg:ratelimit:key:12`; the points budget's `rcg:ratelimit:points:key:12`). */
  constructor(url: string, private readonly prefix: string, logger: Logger) {
    // Required here, not at start: ioredis is about 16 MB of memory that only a REDIS_URL installation needs.
    const { default: RedisClient } = require('ioredis') as typeof import('ioredis');
    this.redis = new RedisClient(url, {
      // Never queue or retry a request's command while Redis is away: fail (open) at once.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 500,
      connectTimeout: 2000,
      // ioredis keeps a timer this long after disconnecting from a socket that never opened.
      disconnectTimeout: 100,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    let reported = false;
    this.redis.on('error', (error: Error) => {
      if (!reported) logger.warn({ err: error }, 'redis connection error (rate limits fail open until it returns)');
      reported = true;
    });
    this.redis.on('ready', () => {
      reported = false;
    });
  }

  limiter(name: string, points: number): RateLimiterAbstract {
    // rate-limiter-flexible joins its keyPrefix and the subject with ':'.
    const keyPrefix = `${this.prefix}${name}`.replace(/:$/, '');
    return new RateLimiterRedis({ storeClient: this.redis, keyPrefix, points, duration: WINDOW_SECONDS, rejectIfRedisNotReady: true });
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

/** The request and points budgets of one server, over one store (null when that budget is off). */
export interface RateLimiters {
  requests: RateLimiter | null;
  points: RateLimiter | null;
  close(): Promise<void>;
}

export async function createRateLimiters(
  settings: { requestsPerMinute: number; pointsPerMinute: number; redisUrl: string | null; redisPrefix: string },
  logger: Logger,
): Promise<RateLimiters> {
  if (settings.requestsPerMinute <= 0 && settings.pointsPerMinute <= 0) return { requests: null, points: null, close: async () => undefined };
  let store: RateLimitStore;
  if (settings.redisUrl) {
    const redis = new RedisRateLimitStore(settings.redisUrl, settings.redisPrefix, logger);
    if (!(await redis.ready(1000))) logger.warn('redis is not answering yet; rate limits fail open until it does');
    store = redis;
  } else {
    store = memoryRateLimitStore();
  }
  return {
    requests: settings.requestsPerMinute > 0 ? new RateLimiter(store.limiter('', settings.requestsPerMinute), settings.requestsPerMinute, logger) : null,
    points: settings.pointsPerMinute > 0 ? new RateLimiter(store.limiter('points:', settings.pointsPerMinute), settings.pointsPerMinute, logger) : null,
    close: () => store.close(),
  };
}
