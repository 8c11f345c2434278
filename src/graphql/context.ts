import type { PrismaClient } from '../generated/prisma/client';
import type { Actor } from '../access/actor';
import { clientForActor } from '../access/tenancy';
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { SqlCounter } from '../db/sql-counter';
import type { Logger } from '../logger';
import { unauthenticated } from './errors';
import type { NodeRegistry } from './node-registry';

/**
 * Everything one GraphQL request may use. Built fresh for each request, so DataLoader
 * caches never leak between requests or actors.
 */
export class RequestContext {
  /** What features keep for the rest of the request (their DataLoaders, made by `perRequest`). */
  private readonly perRequestState = new Map<symbol, unknown>();
  /** Other reads memoised for the rest of the request (the board data version, say). */
  readonly memo = new Map<string, unknown>();

  constructor(
    readonly db: Database,
    readonly requestId: string,
    private readonly currentActor: Actor | null,
    readonly logger: Logger,
    readonly sql: SqlCounter,
    /** How `node(id:)` fetches each node type: the composition root registers every feature's. */
    readonly nodeTypes: NodeRegistry<RequestContext>,
    /** the process's settings (e.g. how long a rotated key stays valid) */
    readonly config: Config,
  ) {}

  /** The request's value for `key`, made by `create` on first use. */
  stateFor<T>(key: symbol, create: () => T): T {
    if (!this.perRequestState.has(key)) this.perRequestState.set(key, create());
    return this.perRequestState.get(key) as T;
  }

  /**
   * After a write commits, what this request read before may be out of date: a later root
   * field of the same mutation operation must read afresh (its loaders are made anew).
   */
  forgetReads(): void {
    this.perRequestState.clear();
    this.memo.clear();
  }

  private scopedPrisma: PrismaClient | null = null;

  /** The database as this actor may see it: rows of other trusts are never read (access/tenancy.ts). Looked up once per request. */
  get prisma(): PrismaClient {
    this.scopedPrisma ??= clientForActor(this.db.prisma, this.currentActor);
    return this.scopedPrisma;
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

/**
 * Declares state a feature keeps per request, typically its DataLoaders:
 * `export const measureLoaders = perRequest((ctx) => build(ctx.prisma))`, then
 * `measureLoaders(ctx).measureById.load(id)`. The framework never lists the features.
 */
export function perRequest<T>(create: (ctx: RequestContext) => T): (ctx: RequestContext) => T {
  const key = Symbol('per-request state');
  return (ctx) => ctx.stateFor(key, () => create(ctx));
}

/**
 * Declares what a feature keeps per database handle for the life of the process, typically a
 * cache under the board data version: `const cache = perDatabase((ctx) => new LRUCache(...))`,
 * then `cache(ctx)`. One value per handle, so the versions of different databases (tests,
 * benchmarks) never meet; made from the first request's context (its config is the process's).
 */
export function perDatabase<T>(create: (ctx: RequestContext) => T): (ctx: RequestContext) => T {
  const byDatabase = new WeakMap<object, T>();
  return (ctx) => {
    if (!byDatabase.has(ctx.db)) byDatabase.set(ctx.db, create(ctx));
    return byDatabase.get(ctx.db) as T;
  };
}
