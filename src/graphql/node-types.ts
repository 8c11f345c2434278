import type { RequestContext } from './context';
import type { Node } from './node';
import type { NodeFetcher, NodeTypeOf } from './node-registry';

/** A node type as a feature declares it (see Feature.nodeTypes). */
export type NodeType = NodeTypeOf<RequestContext>;

/** A fetcher over a DataLoader: errors become null, like missing rows. */
export function fetchFromLoader(
  loaderOf: (ctx: RequestContext) => { loadMany(ids: number[]): Promise<Array<Node | null | Error>> },
): NodeFetcher<RequestContext> {
  return async (ctx, ids) => (await loaderOf(ctx).loadMany(ids)).map((n) => (n instanceof Error ? null : n));
}

/**
 * A fetcher for a type without a DataLoader: one query for all the ids, answered in the order
 * asked, null where a row no longer exists.
 */
export function fetchRowsByIds<R extends { id: number | bigint }>(
  load: (ctx: RequestContext, ids: number[]) => Promise<R[]>,
  map: (row: R) => Node,
): NodeFetcher<RequestContext> {
  return async (ctx, ids) => {
    const byId = new Map((await load(ctx, ids)).map((row) => [Number(row.id), row]));
    return ids.map((id) => {
      const row = byId.get(id);
      return row ? map(row) : null;
    });
  };
}
