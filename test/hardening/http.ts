import { loadConfig } from '../../src/config';
import type { Database } from '../../src/db/database';
import { createLogger } from '../../src/logger';
import { startServer, type AppServer } from '../../src/app';
import { TEST_ADMIN_KEY } from '../support/test-app';

export interface RawResponse {
  status: number;
  headers: Headers;
  /** parsed JSON when the body is JSON, else the text */
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }>; extensions?: Record<string, unknown> } & Record<string, unknown>;
  text: string;
}

/** Sends anything at all (for attacks the typed helpers cannot express); `key: null` sends no credential. */
export async function send(
  url: string,
  init: { method?: string; body?: string; key?: string | null; contentType?: string | null; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...init.headers };
  const key = init.key === undefined ? TEST_ADMIN_KEY : init.key;
  if (key) headers.authorization = `Bearer ${key}`;
  if (init.contentType !== null) headers['content-type'] = init.contentType ?? 'application/json';
  const response = await fetch(url, { method: init.method ?? 'POST', headers, body: init.body });
  const text = await response.text();
  let body: RawResponse['body'] = {};
  try {
    body = JSON.parse(text) as RawResponse['body'];
  } catch {
    // not JSON: the assertions look at `text`
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** POSTs `{ query, variables }` as JSON. */
export function gql(url: string, query: string, variables?: Record<string, unknown>, key?: string | null): Promise<RawResponse> {
  return send(url, { body: JSON.stringify({ query, variables }), key });
}

export function codeOf(response: RawResponse): unknown {
  return response.body.errors?.[0]?.extensions?.code;
}

/**
 * Another instance of the API over a database a test already has, with its own settings:
 * much cheaper than a fresh database (a PGlite one takes seconds to migrate).
 */
export async function startServerOn(db: Database, env: Record<string, string> = {}): Promise<AppServer> {
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', ADMIN_API_KEY: TEST_ADMIN_KEY, ...env });
  return startServer(config, db, createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'));
}
