import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import express from 'express';
import { sameKey } from '../access/api-key';
import { bearerChallenge, bearerToken } from '../access/authenticate';
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { SqlCounter } from '../db/sql-counter';
import { RequestContext } from '../graphql/context';
import { credentialRefused, unauthenticated } from '../graphql/errors';
import type { Logger } from '../logger';
import { authenticateRequest, guardOperation, rateLimitRequest } from './access';
import { makeFormatError } from './format-error';
import { HttpErrorCode, httpErrorHandler, requestTimeout, sendGraphQLError } from './http-errors';
import { corsForApi } from './cors';
import { createExplorer, EXPLORER_ASSETS_PATH } from './explorer';
import type { Application } from './feature';
import { graphqlHandler } from './graphql-handler';
import { jitGateway } from './jit-executor';
import { costLimitPlugin, OperationGuard } from './limits';
import { Metrics } from './metrics';
import { observeRequests } from './observe';
import { requestObservationPlugin, requireAuthenticationPlugin } from './plugins';
import { stringifyResult } from './serialized-results';
import { createRateLimiters } from './rate-limit';

export interface AppServer {
  httpServer: http.Server;
  url: string;
  port: number;
  stop(): Promise<void>;
  /** null when METRICS_ENABLED=false */
  metrics: Metrics | null;
}

const READY_TIMEOUT_MS = 2000;
/** Validation errors reported per operation; the response carries at most one more ("Validation aborted"). */
const MAX_VALIDATION_ERRORS = 5;

declare module 'express-serve-static-core' {
  interface Request {
    requestId: string;
    sqlCounter: SqlCounter;
  }
}

/** Builds the HTTP server (GraphQL, health and readiness) and starts listening. */
export async function startHttpServer(config: Config, db: Database, logger: Logger, application: Application): Promise<AppServer> {
  const app = express();
  const httpServer = http.createServer(app);
  const { schema, nodeTypes } = application;

  const metrics = config.metricsEnabled ? new Metrics(db) : null;
  const rateLimiters = await createRateLimiters(
    { requestsPerMinute: config.rateLimitPerMinute, pointsPerMinute: config.rateLimitPointsPerMinute, redisUrl: config.redisUrl, redisPrefix: config.rateLimitRedisPrefix },
    logger,
  );
  const rateLimiter = rateLimiters.requests;
  for (const limiter of [rateLimiters.requests, rateLimiters.points]) if (limiter && metrics) limiter.onStoreError = () => metrics.rateLimitStoreErrors.inc();

  const apollo = new ApolloServer<RequestContext>({
    // Compiled execution by default (jit-executor.ts); GRAPHQL_JIT=false keeps graphql-js's interpreter.
    ...(config.graphqlJit ? { gateway: jitGateway(schema, (executor) => metrics?.graphqlExecutions.inc({ executor })) } : { schema }),
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    formatError: makeFormatError(logger, config.production),
    // GET and simple-content-type POSTs (forms, text/plain) need a preflight header: they cannot mutate.
    csrfPrevention: true,
    // Apollo's default; stated because a batch would multiply every limit below.
    allowBatchedHttpRequests: false,
    // No client of ours uses automatic persisted queries; off, every operation arrives as text
    // and passes the operation guard.
    persistedQueries: false,
    // Defence in depth behind the operation guard: Apollo's own parse stops at the same count.
    ...(config.limits.maxTokens > 0 ? { parseOptions: { maxTokens: config.limits.maxTokens } } : {}),
    // Validation stops after a few errors (graphql-js then adds one saying so), so a document
    // cannot buy one error per repeated unknown directive or field ("directive overloading").
    validationOptions: { maxErrors: MAX_VALIDATION_ERRORS },
    // main.ts owns SIGTERM/SIGINT (drain, close the database, exit); two handlers raced for 10 s.
    stopOnTerminationSignals: false,
    // Apollo pretty-prints by default (indent 2): a quarter more bytes to write and a few
    // per cent of a read's CPU. Clients parse JSON; GraphiQL formats what it shows.
    // A cached response's data goes out as the JSON made when it was cached (serialized-results.ts).
    stringifyResult,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownGraceMs }),
      // We send no cache hints; the default plugin instruments every field of every response.
      ApolloServerPluginCacheControlDisabled(),
      // Apollo's own landing page loads Sandbox from a CDN: off everywhere; GraphiQL below is served from node_modules.
      ApolloServerPluginLandingPageDisabled(),
      requireAuthenticationPlugin(),
      ...application.graphqlPlugins.map((plugin) => plugin(application)),
      costLimitPlugin(config.limits.maxCost, rateLimiters.points, metrics),
      requestObservationPlugin(config.production),
    ],
  });
  await apollo.start();


  // Bounds on the HTTP side: a client must send its whole request within REQUEST_TIMEOUT_MS
  // (slow-loris), its headers within 20 s; requestTimeout() below bounds the answer.
  if (config.requestTimeoutMs > 0) {
    httpServer.requestTimeout = config.requestTimeoutMs;
    httpServer.headersTimeout = Math.min(20_000, config.requestTimeoutMs);
  }

  // Idle keep-alive connections stay open longer than a load balancer's (60 s on the common ones)
  // and a client's pool: with Node's 5 s, a client reusing a connection as the server closed it got
  // "socket hang up" / ECONNRESET (seen in the tests after a few seconds' pause between requests).
  httpServer.keepAliveTimeout = config.keepAliveTimeoutMs;

  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  // Every request gets an id (echoed in a header), its own SQL statement counter, one log line and its metrics.
  app.use(observeRequests(logger, metrics));
  app.use(requestTimeout(config.requestTimeoutMs));

  // CORS on every API route (GraphQL and the features' own, e.g. /fhir), ahead of authentication,
  // rate limits and CSRF prevention, so a preflight is answered before any of them (src/server/cors.ts).
  const cors = corsForApi(config.corsOrigins);
  if (cors) app.use(['/graphql', ...application.routes.map((route) => route.path)], cors);

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

  if (metrics) {
    app.get('/metrics', async (req, res) => {
      const presented = bearerToken(req.headers.authorization);
      if (config.metricsToken && !(presented && sameKey(presented, config.metricsToken))) {
        res.status(401).set('www-authenticate', presented ? 'Bearer realm="metrics", error="invalid_token"' : 'Bearer realm="metrics"').type('text/plain').send('metrics need Authorization: Bearer <METRICS_TOKEN>\n');
        return;
      }
      const { contentType, body } = await metrics.render();
      res.type(contentType).send(body);
    });
  }

  // GraphiQL for browsers at GET /graphql (EXPLORER_ENABLED; by default not in production).
  if (config.explorerEnabled) {
    const explorer = createExplorer();
    app.use(EXPLORER_ASSETS_PATH, explorer.assets);
    app.get('/graphql', explorer.page);
  }

  for (const route of application.routes) app.use(route.path, route.router({ db, config, logger, rateLimiter, metrics, nodeTypes }));

  app.use(
    '/graphql',
    express.json({ limit: config.maxBodyBytes }),
    authenticateRequest(db, config, undefined, logger),
    rateLimitRequest(rateLimiter, metrics),
    guardOperation(new OperationGuard(config.limits)),
    graphqlHandler(apollo, async ({ req }) => {
      const authentication = req.authentication;
      if (!authentication.ok && authentication.reason === 'invalid') throw unauthenticated(authentication.message, bearerChallenge(authentication));
      if (!authentication.ok && authentication.reason === 'refused') throw credentialRefused(authentication.message, bearerChallenge(authentication));
      const actor = authentication.ok ? authentication.actor : null;
      return new RequestContext(db, req.requestId, actor, logger.child({ requestId: req.requestId }), req.sqlCounter, nodeTypes, config);
    }),
  );

  // Any other path: a JSON 404 naming what is served, not Express's HTML page.
  const alsoServed = [...application.routes.map((route) => route.path), '/healthz', '/readyz', ...(metrics ? ['/metrics'] : [])].join(', ');
  app.use((req, res) => {
    sendGraphQLError(res, 404, HttpErrorCode.NOT_FOUND, `${req.method} ${req.path} is not served here: the API is POST /graphql (also ${alsoServed})`);
  });

  // Last: JSON errors for malformed or oversized bodies and anything unexpected (never Express's HTML page with a stack).
  app.use(httpErrorHandler(logger));

  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const { port } = httpServer.address() as AddressInfo;
  const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
  return {
    httpServer,
    port,
    url: `http://${host}:${port}/graphql`,
    metrics,
    // Drains in-flight requests (ApolloServerPluginDrainHttpServer), then lets go of Redis.
    stop: async () => {
      await apollo.stop();
      await rateLimiters.close();
    },
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
