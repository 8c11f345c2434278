import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { COMMENTARY_TYPENAME, commentaryFromRow, SPC_PHASE_TYPENAME, spcPhaseFromRow } from '../board/board.type';
import { groupBy } from '../lib/group-by';
import { measureTargetFromRow, MEASURE_TARGET_TYPENAME, MEASURE_TYPENAME } from '../measures/measure.type';
import { OBSERVATION_TYPENAME, observationFromRow } from '../observations/observation.type';
import { ORG_UNIT_TYPENAME } from '../organisation/org-unit.type';
import { PERSON_TYPENAME } from '../people/person.type';
import { PRINCIPLE_TYPENAME } from '../principles/principle.type';
import {
  INVOLVEMENT_TYPENAME,
  involvementFromRow,
  MILESTONE_TYPENAME,
  milestoneFromRow,
  WORKSTREAM_TYPENAME,
} from '../workstreams/workstream.type';
import type { RequestContext } from './context';
import { badInput } from './errors';
import { decodeGlobalId } from './global-id';
import { Node } from './node';

export type NodeFetcher = (ctx: RequestContext, ids: number[]) => Promise<Array<Node | null>>;

async function fromLoader(loader: { loadMany(ids: number[]): Promise<Array<Node | null | Error>> }, ids: number[]) {
  return (await loader.loadMany(ids)).map((n) => (n instanceof Error ? null : n));
}

/**
 * A fetcher for a type without a DataLoader: one query for all the ids, answered in the order
 * asked, null where a row no longer exists.
 */
export function fetchRowsByIds<R extends { id: number | bigint }>(
  load: (ctx: RequestContext, ids: number[]) => Promise<R[]>,
  map: (row: R) => Node,
): NodeFetcher {
  return async (ctx, ids) => {
    const byId = new Map((await load(ctx, ids)).map((row) => [Number(row.id), row]));
    return ids.map((id) => {
      const row = byId.get(id);
      return row ? map(row) : null;
    });
  };
}

/** How to fetch each kind of node by database id: one query per type, however many ids. */
const FETCHERS: Record<string, NodeFetcher> = {
  [PRINCIPLE_TYPENAME]: (ctx, ids) => fromLoader(ctx.loaders.principleById, ids),
  [ORG_UNIT_TYPENAME]: (ctx, ids) => fromLoader(ctx.loaders.orgUnitById, ids),
  [PERSON_TYPENAME]: (ctx, ids) => fromLoader(ctx.loaders.personById, ids),
  [WORKSTREAM_TYPENAME]: (ctx, ids) => fromLoader(ctx.loaders.workstreamById, ids),
  [MEASURE_TYPENAME]: (ctx, ids) => fromLoader(ctx.loaders.measureById, ids),
  [MILESTONE_TYPENAME]: fetchRowsByIds((ctx, ids) => ctx.prisma.milestone.findMany({ where: { id: { in: ids } } }), milestoneFromRow),
  [INVOLVEMENT_TYPENAME]: fetchRowsByIds((ctx, ids) => ctx.prisma.livedExperienceInvolvement.findMany({ where: { id: { in: ids } } }), involvementFromRow),
  [OBSERVATION_TYPENAME]: fetchRowsByIds((ctx, ids) => ctx.prisma.observation.findMany({ where: { id: { in: ids.map(BigInt) } } }), observationFromRow),
  [SPC_PHASE_TYPENAME]: fetchRowsByIds((ctx, ids) => ctx.prisma.spcPhase.findMany({ where: { id: { in: ids } } }), spcPhaseFromRow),
  [COMMENTARY_TYPENAME]: fetchRowsByIds((ctx, ids) => ctx.prisma.commentary.findMany({ where: { id: { in: ids } } }), commentaryFromRow),
  [MEASURE_TARGET_TYPENAME]: fetchRowsByIds((ctx, ids) => ctx.prisma.measureTarget.findMany({ where: { id: { in: ids } } }), measureTargetFromRow),
};

/** Registers how a feature's node type is fetched (features added later call this). */
export function registerNodeFetcher(typeName: string, fetcher: NodeFetcher): void {
  FETCHERS[typeName] = fetcher;
}

/** Whether `node(id:)` can fetch this type (an audit event names its entity by a node id only then). */
export function isNodeType(typeName: string): boolean {
  return Object.hasOwn(FETCHERS, typeName);
}

const MAX_NODES = 100;

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

async function fetchNodes(ctx: RequestContext, globalIds: string[]): Promise<Array<Node | null>> {
  const decoded = globalIds.map((globalId) => {
    const parsed = decodeGlobalId(globalId);
    if (!parsed || !FETCHERS[parsed.typeName]) throw badInput(`"${globalId}" is not a valid ID`, 'id');
    return { typeName: parsed.typeName, id: Number(parsed.id) };
  });
  const byType = groupBy(decoded, (d) => d.typeName, (d) => d.id);
  const found = new Map<string, Node | null>();
  await Promise.all(
    [...byType.entries()].map(async ([typeName, ids]) => {
      const nodes = await FETCHERS[typeName](ctx, ids);
      ids.forEach((id, index) => found.set(`${typeName}:${id}`, nodes[index]));
    }),
  );
  return decoded.map((d) => found.get(`${d.typeName}:${d.id}`) ?? null);
}
