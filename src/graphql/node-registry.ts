import { MAX_INT_ID } from './global-id';
import type { Node } from './node';

/** Fetches nodes of one type by database id, in the order asked, null where a row no longer exists. */
export type NodeFetcher<Context> = (ctx: Context, ids: number[]) => Promise<Array<Node | null>>;

/**
 * The name of every node type. Each feature adds its own by declaration merging beside its
 * type (`declare module '../graphql/node-registry' { interface NodeTypeNames { Measure: true } }`),
 * so a typename written anywhere (an audit entry, a node registration) is checked by the compiler.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface NodeTypeNames {}
export type NodeTypeName = keyof NodeTypeNames & string;

/** A type `node(id:)` can fetch: the typename its global ids carry, and how to fetch it. */
export interface NodeTypeOf<Context> {
  typeName: NodeTypeName;
  fetch: NodeFetcher<Context>;
  /** the largest id its table can hold: MAX_INT_ID (an `int` id) unless given */
  maxId?: number;
}

/**
 * Every fetchable node type of the application; the composition root builds it from the
 * features. Generic in the request context so that the context can carry it without a cycle.
 */
export class NodeRegistry<Context> {
  private readonly fetchers = new Map<string, NodeFetcher<Context>>();
  private readonly maxIds = new Map<string, number>();

  constructor(types: Iterable<NodeTypeOf<Context>>) {
    for (const type of types) {
      if (this.fetchers.has(type.typeName)) throw new Error(`Node type ${type.typeName} is registered twice`);
      this.fetchers.set(type.typeName, type.fetch);
      this.maxIds.set(type.typeName, type.maxId ?? MAX_INT_ID);
    }
  }

  /** The largest id a node of this type can have (a larger one names nothing that can exist). */
  maxIdFor(typeName: string): number {
    return this.maxIds.get(typeName) ?? MAX_INT_ID;
  }

  /** Whether `node(id:)` can fetch this type (an audit event names its entity by a node id only then). */
  has(typeName: string): boolean {
    return this.fetchers.has(typeName);
  }

  fetcherFor(typeName: string): NodeFetcher<Context> | undefined {
    return this.fetchers.get(typeName);
  }
}
