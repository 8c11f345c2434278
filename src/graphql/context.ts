import type { PrismaClient } from '../generated/prisma/client';
import type { Actor } from '../auth/actor';
import type { Database } from '../db/database';
import type { SqlCounter } from '../db/sql-counter';
import type { Logger } from '../logger';
import { unauthenticated } from './errors';
import { createLoaders, type Loaders } from './loaders';

/**
 * Everything one GraphQL request may use. Built fresh for each request, so DataLoader
 * caches never leak between requests or actors.
 */
export class RequestContext {
  readonly loaders: Loaders;

  constructor(
    readonly db: Database,
    readonly requestId: string,
    private readonly currentActor: Actor | null,
    readonly logger: Logger,
    readonly sql: SqlCounter,
  ) {
    this.loaders = createLoaders(db.prisma);
  }

  get prisma(): PrismaClient {
    return this.db.prisma;
  }

  /** The authenticated actor; the server refuses unauthenticated operations before this is reached. */
  get actor(): Actor {
    if (!this.currentActor) throw unauthenticated();
    return this.currentActor;
  }

  get isAuthenticated(): boolean {
    return this.currentActor !== null;
  }
}
