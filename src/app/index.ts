import type { Config } from '../config';
import type { Database } from '../db/database';
import type { RequestContext } from '../graphql/context';
import { NodeRegistry } from '../graphql/node-registry';
import type { Logger } from '../logger';
import type { Application } from '../server/feature';
import { startHttpServer, type AppServer } from '../server/http-server';
import { FEATURES } from './features';
import { buildAppSchema } from './schema';

export type { AppServer } from '../server/http-server';

/** The composition root: the features wired into one application. */
export async function buildApplication(): Promise<Application> {
  return {
    schema: await buildAppSchema(),
    nodeTypes: buildNodeRegistry(),
    graphqlPlugins: FEATURES.flatMap((feature) => feature.graphqlPlugins ?? []),
    routes: FEATURES.flatMap((feature) => feature.routes ?? []),
    versionedReads: {
      queryFields: new Set(FEATURES.flatMap((feature) => feature.versionedReads?.queryFields ?? [])),
      // the framework's PageInfo: the cursors and flags of a page of versioned rows
      types: new Set(['PageInfo', ...FEATURES.flatMap((feature) => feature.versionedReads?.types ?? [])]),
    },
  };
}

export function buildNodeRegistry(): NodeRegistry<RequestContext> {
  return new NodeRegistry(FEATURES.flatMap((feature) => feature.nodeTypes ?? []));
}

/** Builds the application and serves it over HTTP (GraphQL, FHIR, health, readiness, metrics). */
export async function startServer(config: Config, db: Database, logger: Logger): Promise<AppServer> {
  return startHttpServer(config, db, logger, await buildApplication());
}
