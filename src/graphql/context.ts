import DataLoader from 'dataloader';
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
  /** Other reads memoised for the rest of the request (the board data version, say). */
  readonly memo = new Map<string, unknown>();

  constructor(
    readonly db: Database,
    readonly requestId: string,
    private readonly currentActor: Actor | null,
    readonly logger: Logger,
    readonly sql: SqlCounter,
  ) {
    this.loaders = createLoaders(db.prisma);
  }

  /**
   * After a write commits, what this request read before may be out of date: a later root
   * field of the same mutation operation must read afresh.
   */
  forgetReads(): void {
    for (const loader of Object.values(this.loaders)) if (loader instanceof DataLoader) loader.clearAll();
    this.memo.clear();
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
