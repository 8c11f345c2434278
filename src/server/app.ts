import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { authenticate } from '../auth/authenticate';
import type { Config } from '../config';
import type { Database } from '../db/database';
import { withSqlCounter, type SqlCounter } from '../db/sql-counter';
import { RequestContext } from '../graphql/context';
import { unauthenticated } from '../graphql/errors';
import { buildAppSchema } from '../graphql/schema';
import type { Logger } from '../logger';
import { makeFormatError, requestIdStorage } from './format-error';
import { requestLoggingPlugin, requireAuthenticationPlugin } from './plugins';
import { requestIdFrom } from './request-id';

export interface AppServer {
  httpServer: http.Server;
  url: string;
  port: number;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 2000;

declare module 'express-serve-static-core' {
  interface Request {
    requestId: string;
    sqlCounter: SqlCounter;
  }
}

/** Builds the HTTP server (GraphQL, health and readiness) and starts listening. */
export async function startServer(config: Config, db: Database, logger: Logger): Promise<AppServer> {
  const app = express();
  const httpServer = http.createServer(app);
  const schema = await buildAppSchema();

  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    formatError: makeFormatError(logger),
    csrfPrevention: true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      config.production
        ? ApolloServerPluginLandingPageProductionDefault({ footer: false })
        : ApolloServerPluginLandingPageLocalDefault({ footer: false, embed: true }),
      requireAuthenticationPlugin(),
      requestLoggingPlugin(config.production),
    ],
  });
  await apollo.start();

  app.disable('x-powered-by');
  // Every request gets an id (echoed in a header) and its own SQL statement counter.
  app.use((req, res, next) => {
    req.requestId = requestIdFrom(req.headers['x-request-id']);
    req.sqlCounter = { statements: 0 };
    res.setHeader('x-request-id', req.requestId);
    requestIdStorage.run(req.requestId, () => withSqlCounter(req.sqlCounter, next));
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await withTimeout(db.ping(), READY_TIMEOUT_MS);
      res.json({ status: 'ready', database: db.kind });
    } catch (error) {
      logger.warn({ err: error }, 'readiness check failed');
      res.status(503).json({ status: 'unavailable', database: db.kind });
    }
  });

  app.use(
    '/graphql',
    express.json({ limit: config.maxBodyBytes }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const authentication = await authenticate(db.prisma, req.headers.authorization, config.adminApiKey);
        if (!authentication.ok && authentication.reason === 'invalid') throw unauthenticated('That API key is not valid (wrong, revoked or malformed)');
        const actor = authentication.ok ? authentication.actor : null;
        return new RequestContext(db, req.requestId, actor, logger.child({ requestId: req.requestId }), req.sqlCounter);
      },
    }),
  );

  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
  return {
    httpServer,
    port,
    url: `http://${host}:${port}/graphql`,
    stop: () => apollo.stop(),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
