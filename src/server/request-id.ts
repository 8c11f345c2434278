import { randomUUID } from 'node:crypto';

/** Trusts a caller's X-Request-Id only when it is short and plain; otherwise mints one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[A-Za-z0-9._-]{8,64}$/.test(value) ? value : randomUUID();
}
