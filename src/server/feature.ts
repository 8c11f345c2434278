import type { ApolloServerPlugin } from '@apollo/server';
import type { Router } from 'express';
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { RequestContext } from '../graphql/context';
import type { NodeRegistry } from '../graphql/node-registry';
import type { NodeType } from '../graphql/node-types';
import type { Logger } from '../logger';
import type { Metrics } from './metrics';
import type { RateLimiter } from './rate-limit';

/** What the running server lends a feature's HTTP routes. */
export interface ServerServices {
  db: Database;
  config: Config;
  logger: Logger;
  /** the same per-credential budget as /graphql (null: unmetered) */
  rateLimiter: RateLimiter | null;
  metrics: Metrics | null;
  nodeTypes: NodeRegistry<RequestContext>;
}

/**
 * What one feature contributes to the application, exported from its folder's index.ts and
 * listed once in the composition root (src/app/features.ts). The server knows this shape,
 * never the features themselves.
 */
export interface Feature {
  name: string;
  /** type-graphql resolver classes (queries, mutations, field resolvers on any type) */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers?: Function[];
  /** the node types `node(id:)` can fetch */
  nodeTypes?: NodeType[];
  /** Apollo plugins, run after authentication and before the cost limit */
  graphqlPlugins?: Array<() => ApolloServerPlugin<RequestContext>>;
  /** HTTP routes beside /graphql (e.g. /fhir) */
  routes?: Array<{ path: string; router: (services: ServerServices) => Router }>;
}

/** The assembled application the HTTP server serves (built by the composition root). */
export interface Application {
  schema: import('graphql').GraphQLSchema;
  nodeTypes: NodeRegistry<RequestContext>;
  graphqlPlugins: Array<() => ApolloServerPlugin<RequestContext>>;
  routes: Array<{ path: string; router: (services: ServerServices) => Router }>;
}
