import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { groupBy } from '../lib/group-by';
import type { RequestContext } from './context';
import { badInput } from './errors';
import { decodeGlobalId } from './global-id';
import { Node } from './node';

const MAX_NODES = 100;

/** `node` and `nodes`: any registered node type by global id (the registry is on the context). */
@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global ID; null when it no longer exists.' })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Node | null> {
    const [node] = await fetchNodes(ctx, [id]);
    return node;
  }

  @Query(() => [Node], { nullable: 'items', description: `Objects by global ID, in the order asked (at most ${MAX_NODES}).` })
  async nodes(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: RequestContext): Promise<Array<Node | null>> {
    if (ids.length > MAX_NODES) throw badInput(`At most ${MAX_NODES} ids at once`, 'ids');
    return fetchNodes(ctx, ids);
  }
}

/** One query per node type, however many ids. */
async function fetchNodes(ctx: RequestContext, globalIds: string[]): Promise<Array<Node | null>> {
  const decoded = globalIds.map((globalId) => {
    const parsed = decodeGlobalId(globalId);
    if (!parsed || !ctx.nodeTypes.has(parsed.typeName) || Number(parsed.id) > ctx.nodeTypes.maxIdFor(parsed.typeName)) {
      throw badInput(`"${globalId}" is not a valid ID`, 'id');
    }
    return { typeName: parsed.typeName, id: Number(parsed.id) };
  });
  const byType = groupBy(decoded, (d) => d.typeName, (d) => d.id);
  const found = new Map<string, Node | null>();
  await Promise.all(
    [...byType.entries()].map(async ([typeName, ids]) => {
      const nodes = await ctx.nodeTypes.fetcherFor(typeName)!(ctx, ids);
      ids.forEach((id, index) => found.set(`${typeName}:${id}`, nodes[index]));
    }),
  );
  return decoded.map((d) => found.get(`${d.typeName}:${d.id}`) ?? null);
}
