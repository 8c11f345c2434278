import { can, isScoped } from '../access/actor';
import { perDatabase, type RequestContext } from '../graphql/context';
import { coalescedRead } from '../lib/coalesced-read';

/**
 * The one key both board caches file results under, computed views (board-cache.ts) and whole
 * responses (board-response-cache.ts): `<data version>|<disclosure>|<what was asked>`. The data
 * version (board_data_version, bumped by triggers in the same transaction as any change a board
 * view shows) makes a write invalidate everything; the disclosure keeps readers who may see
 * different figures from sharing an entry.
 */

/** What a reader may see: which trusts, and of them all true figures, those of one subtree, or none. */
export function disclosureIdentity(ctx: RequestContext): string {
  const trusts = ctx.actor.trustIds === null ? 'every' : [...ctx.actor.trustIds].sort((a, b) => a - b).join(',');
  if (!can(ctx.actor, 'seeUnsuppressed')) return `${trusts}:suppressed`;
  return `${trusts}:${isScoped(ctx.actor) ? `scope:${ctx.actor.scopePath}` : 'all'}`;
}

// Read once per request (until a write in it commits): the response cache and the view cache
// both key on it, and one read also keeps both on the same version.
const VERSION_MEMO = 'boardDataVersion';

// Straight to the driver: read by nearly every board and series request, and through Prisma's
// client it cost a cached series request a tenth of its CPU. ctx.db.raw is never a
// transaction's, so this is always a read of committed data on a connection of its own. Requests
// asking at once share one read that starts after each of them asked (src/lib/coalesced-read.ts):
// under load a cached answer cost this statement and little else.
const versionReader = perDatabase(({ db: { raw } }) =>
  coalescedRead(() => raw.query<{ version: string }>('SELECT version::text AS version FROM board_data_version WHERE id = 1').then((rows) => rows[0]?.version ?? '0')),
);

export function boardDataVersion(ctx: RequestContext): Promise<string> {
  let version = ctx.memo.get(VERSION_MEMO) as Promise<string> | undefined;
  if (!version) {
    version = versionReader(ctx)();
    ctx.memo.set(VERSION_MEMO, version);
  }
  return version;
}

/** What a key part may be: a view's name or argument (null for one left to its default), or a request's digest. */
export type BoardKeyPart = string | number | null;

/** The key of what `parts` name (a view and its arguments, or a request's digest) for this reader at the current version. */
export async function boardCacheKey(ctx: RequestContext, parts: readonly BoardKeyPart[]): Promise<string> {
  // String(): a null argument is "null" in the key (join would make it ""), as it always was.
  return [await boardDataVersion(ctx), disclosureIdentity(ctx), ...parts].map(String).join('|');
}
