/**
 * A small seeded PRNG for demonstration data: the same seed always gives the same numbers,
 * on every machine, so a demo database (and its screenshots) can be rebuilt exactly.
 * mulberry32: 32-bit state, fast, statistically fine for fake data (not for secrets).
 */

export interface Random {
  /** uniform in [0, 1) */
  next(): number;
  /** whole number in [min, max], both included */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  normal(mean?: number, sd?: number): number;
  binomial(n: number, p: number): number;
  poisson(lambda: number): number;
}

/** FNV-1a over a string: turns codes into sub-seeds so each series is independent of order. */
export function hashSeed(...parts: Array<string | number>): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('|')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (mean = 0, sd = 1): number => {
    // Box–Muller; 1 - next() keeps the logarithm away from 0.
    const u = 1 - next();
    const v = next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const poisson = (lambda: number): number => {
    if (lambda <= 0) return 0;
    // Knuth's method is exact but O(lambda); above 30 the normal approximation is close enough.
    if (lambda > 30) return Math.max(0, Math.round(normal(lambda, Math.sqrt(lambda))));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = next();
    while (p > limit) {
      k += 1;
      p *= next();
    }
    return k;
  };
  const binomial = (n: number, p: number): number => {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    // Exact Bernoulli sum for small n; normal approximation (clamped to 0..n) for large n.
    if (n <= 60) {
      let k = 0;
      for (let i = 0; i < n; i += 1) if (next() < p) k += 1;
      return k;
    }
    const k = Math.round(normal(n * p, Math.sqrt(n * p * (1 - p))));
    return Math.min(n, Math.max(0, k));
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
    normal,
    binomial,
    poisson,
  };
}
