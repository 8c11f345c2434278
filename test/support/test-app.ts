import { print, type ExecutionResult } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { loadConfig } from '../../src/config';
import type { DatabaseKind } from '../../src/db/database';
import { createLogger } from '../../src/logger';
import { startServer, type AppServer } from '../../src/app';
import { createTestDatabase, type TestDatabase } from './test-database';

export const TEST_ADMIN_KEY = 'test-operator-key-0123456789';

export interface GraphQLResponse<R> {
  status: number;
  body: ExecutionResult<R> & { extensions?: { requestId?: string; sqlStatements?: number } };
  headers: Headers;
}

export interface TestApp {
  kind: DatabaseKind;
  database: TestDatabase;
  server: AppServer;
  /** sends an operation over real HTTP; `key` defaults to the operator's ADMIN key, null sends none */
  request<R, V>(document: TypedDocumentNode<R, V>, variables?: V, key?: string | null): Promise<GraphQLResponse<R>>;
  /** sends raw text, for malformed-request tests */
  requestRaw(body: string, init?: { key?: string | null; contentType?: string }): Promise<{ status: number; json: unknown }>;
  close(): Promise<void>;
}

/** Starts the real server on a free port over a fresh database of the given kind. */
export async function startTestApp(kind: DatabaseKind, env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase(kind);
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', ADMIN_API_KEY: TEST_ADMIN_KEY, ...env });
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const server = await startServer(config, database.db, logger);

  const send = async (body: string, key: string | null, contentType = 'application/json') => {
    const headers: Record<string, string> = { 'content-type': contentType };
    if (key) headers.authorization = `Bearer ${key}`;
    return fetch(server.url, { method: 'POST', headers, body });
  };

  return {
    kind,
    database,
    server,
    async request<R, V>(document: TypedDocumentNode<R, V>, variables?: V, key: string | null = TEST_ADMIN_KEY) {
      const response = await send(JSON.stringify({ query: print(document), variables }), key);
      return { status: response.status, body: (await response.json()) as GraphQLResponse<R>['body'], headers: response.headers };
    },
    async requestRaw(body, init = {}) {
      const response = await send(body, init.key === undefined ? TEST_ADMIN_KEY : init.key, init.contentType);
      const text = await response.text();
      let json: unknown = text;
      try {
        json = JSON.parse(text);
      } catch {
        // not JSON: keep the text for the assertion message
      }
      return { status: response.status, json };
    },
    async close() {
      await server.stop();
      await database.drop();
    },
  };
}
