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
  /** Apollo plugins, run after authentication and before the cost limit; made once, with the assembled application */
  graphqlPlugins?: GraphQLPluginFactory[];
  /**
   * What of this feature's schema a whole-response cache under the board data version may
   * answer: root query fields, and object types every field of which is a function of that
   * version, the reader and the hour (each reads only tables whose changes move
   * board_data_version, in the same transaction). An operation is cached only when every field
   * it selects is such a root field, a field of such a type, or a scalar; anything else (audit
   * history, API keys, integration clients, the viewer) is always executed.
   */
  versionedReads?: VersionedReads;
  /** HTTP routes beside /graphql (e.g. /fhir) */
  routes?: Array<{ path: string; router: (services: ServerServices) => Router }>;
}

/** Root query fields and object type names (see Feature.versionedReads). */
export interface VersionedReads {
  queryFields?: readonly string[];
  types?: readonly string[];
}

export type GraphQLPluginFactory = (application: Application) => ApolloServerPlugin<RequestContext>;

/** The assembled application the HTTP server serves (built by the composition root). */
export interface Application {
  schema: import('graphql').GraphQLSchema;
  nodeTypes: NodeRegistry<RequestContext>;
  graphqlPlugins: GraphQLPluginFactory[];
  /** every feature's versioned reads, together */
  versionedReads: { queryFields: ReadonlySet<string>; types: ReadonlySet<string> };
  routes: Array<{ path: string; router: (services: ServerServices) => Router }>;
}
