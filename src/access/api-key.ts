import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `rcg_<prefix>_<secret>`. The prefix is stored in clear to find the row;
 * only a SHA-256 of the whole key is stored (keys are 192-bit random, so a slow hash adds
 * nothing but latency). A key is shown once, when it is created.
 */
const KEY_PATTERN = /^rcg_([a-z0-9]{8,24})_([A-Za-z0-9_-]{16,64})$/;

export interface ParsedApiKey {
  prefix: string;
}

export function parseApiKey(key: string): ParsedApiKey | null {
  const match = KEY_PATTERN.exec(key);
  return match ? { prefix: match[1] } : null;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

export interface NewApiKey {
  key: string;
  prefix: string;
  secretHash: string;
}

/** A fresh random key; `prefix` may be fixed for deterministic demonstration keys. */
export function generateApiKey(random: () => Buffer = () => randomBytes(24), prefix?: string): NewApiKey {
  const keyPrefix = prefix ?? random().toString('hex').slice(0, 12);
  const key = `rcg_${keyPrefix}_${random().toString('base64url')}`;
  return { key, prefix: keyPrefix, secretHash: hashApiKey(key) };
}

/** Constant-time comparison of a presented key with the operator's bootstrap key. */
export function sameKey(presented: string, expected: string): boolean {
  return sameHash(hashApiKey(presented), hashApiKey(expected));
}
