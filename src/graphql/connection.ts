import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { badInput } from './errors';

/** The most items one page may hold; larger `first`/`last` are refused, not clamped. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

// simpleResolvers: plain properties read by graphql-js's default resolver, not a type-graphql
// wrapper per field (an object and a call for every scalar of every row); no middleware applies to them.
@ObjectType({ simpleResolvers: true, description: 'Relay page information.' })
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field() hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: `Items after \`after\`, at most ${MAX_PAGE_SIZE}.` })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `Items before \`before\`, at most ${MAX_PAGE_SIZE}.` })
  last?: number | null;

  @Field(() => String, { nullable: true })
  before?: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface ConnectionShape<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount(): Promise<number>;
}

/**
 * Builds `<Name>Connection` and `<Name>Edge` object types for a node type. `totalCount` is a
 * method so the count query runs only when a client asks for it.
 */
export function Connection<T extends object>(nodeClass: ClassType<T>) {
  @ObjectType(`${nodeClass.name}Edge`, { simpleResolvers: true })
  class EdgeClass implements Edge<T> {
    @Field() cursor!: string;
    @Field(() => nodeClass) node!: T;
  }

  @ObjectType()
  abstract class ConnectionClass implements ConnectionShape<T> {
    @Field(() => [EdgeClass]) edges!: Edge<T>[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    countItems!: () => Promise<number>;

    @Field(() => [nodeClass], { description: 'The nodes of `edges`, for clients that need no cursors.' })
    nodes(): T[] {
      return this.edges.map((edge) => edge.node);
    }

    @Field(() => Int, { description: 'Items in the whole list (all pages).' })
    totalCount(): Promise<number> {
      return this.countItems();
    }
  }
  return ConnectionClass;
}

export interface Page<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  countItems: () => Promise<number>;
}

const CURSOR_PREFIX = 'cursor:';

export function encodeCursor(key: string | number | bigint): string {
  return Buffer.from(`${CURSOR_PREFIX}${key}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, argument: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor) || !decoded.startsWith(CURSOR_PREFIX)) {
    throw badInput(`"${cursor}" is not a cursor from this list`, argument);
  }
  return decoded.slice(CURSOR_PREFIX.length);
}

export interface PageRequest {
  /** number of items wanted */
  size: number;
  /** true when paging backwards from `before` with `last` */
  backward: boolean;
  afterKey: string | null;
  beforeKey: string | null;
}

/** Checks `first`/`last` against the page-size cap and decodes the cursors. */
export function pageRequest(args: ConnectionArgs): PageRequest {
  const { first, last } = args;
  if (first != null && last != null) throw badInput('Pass `first` or `last`, not both', 'first');
  for (const [name, value] of [['first', first], ['last', last]] as const) {
    if (value != null && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw badInput(`\`${name}\` must be between 0 and ${MAX_PAGE_SIZE}, got ${value}`, name);
    }
  }
  return {
    size: first ?? last ?? DEFAULT_PAGE_SIZE,
    backward: last != null,
    afterKey: args.after ? decodeCursor(args.after, 'after') : null,
    beforeKey: args.before ? decodeCursor(args.before, 'before') : null,
  };
}

/**
 * Pages a list already in memory (the children of one parent, loaded in one batch for all
 * parents by a DataLoader). Cursors are the items' stable keys, so they survive inserts.
 */
export function pageFromArray<T>(items: readonly T[], args: ConnectionArgs, keyOf: (item: T) => string | number): Page<T> {
  const request = pageRequest(args);
  let start = 0;
  let end = items.length;
  if (request.afterKey !== null) {
    const index = items.findIndex((item) => String(keyOf(item)) === request.afterKey);
    start = index >= 0 ? index + 1 : 0;
  }
  if (request.beforeKey !== null) {
    const index = items.findIndex((item) => String(keyOf(item)) === request.beforeKey);
    end = index >= 0 ? index : end;
  }
  const window = items.slice(start, Math.max(start, end));
  const slice = request.backward ? window.slice(Math.max(0, window.length - request.size)) : window.slice(0, request.size);
  const edges = slice.map((node) => ({ node, cursor: encodeCursor(keyOf(node)) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: request.backward ? end < items.length : window.length > slice.length,
      hasPreviousPage: request.backward ? window.length > slice.length : start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    countItems: async () => items.length,
  };
}

/** Keyset bounds for a query ordered by a numeric id. */
export interface IdWindow {
  idGt?: number;
  idLt?: number;
  order: 'asc' | 'desc';
  take: number;
}

/**
 * Pages a database list ordered by id with keyset conditions (no OFFSET: page N costs the
 * same as page 1). `fetch` runs one query; `count` runs only if `totalCount` is selected.
 */
export async function pageFromQuery<T>(
  args: ConnectionArgs,
  idOf: (item: T) => number,
  fetch: (window: IdWindow) => Promise<T[]>,
  count: () => Promise<number>,
): Promise<Page<T>> {
  const request = pageRequest(args);
  const afterId = parseKey(request.afterKey, 'after');
  const beforeId = parseKey(request.beforeKey, 'before');
  const rows = await fetch({
    ...(afterId !== null ? { idGt: afterId } : {}),
    ...(beforeId !== null ? { idLt: beforeId } : {}),
    order: request.backward ? 'desc' : 'asc',
    take: request.size + 1,
  });
  // An id cursor always names a position in the id order, so it bounds the page whether or not its item still exists.
  return pageFromKeysetRows(request, rows, { after: afterId !== null, before: beforeId !== null }, idOf, count);
}

/** What `pageTableById` needs of a table: its Prisma model delegate (e.g. `ctx.prisma.person`) fits. */
export interface IdPagedTable<Row, Where> {
  findMany(query: { where: { AND: Where[] }; orderBy: { id: 'asc' | 'desc' }; take: number }): Promise<Row[]>;
  count(query: { where: Where }): Promise<number>;
}

/**
 * The common list: a table's rows matching `where`, paged by id with `pageFromQuery`, each
 * mapped to its API type by `toNode`.
 */
export function pageTableById<Row, T extends { dbId: number }, Where>(
  args: ConnectionArgs,
  table: IdPagedTable<Row, NoInfer<Where>>,
  where: Where,
  toNode: (row: Row) => T,
): Promise<Page<T>> {
  return pageFromQuery(
    args,
    (node) => node.dbId,
    async (window) => {
      // Every model these lists page has an integer id; the generic Where cannot say so.
      const idRange = { id: { gt: window.idGt, lt: window.idLt } } as Where;
      const rows = await table.findMany({ where: { AND: [where, idRange] }, orderBy: { id: window.order }, take: window.take });
      return rows.map(toNode);
    },
    () => table.count({ where }),
  );
}

function parseKey(key: string | null, argument: string): number | null {
  if (key === null) return null;
  if (!/^[0-9]{1,15}$/.test(key)) throw badInput('That cursor does not belong to this list', argument);
  return Number(key);
}

/** Turns a page into an instance of the connection class, so its field methods resolve. */
export function toConnection<C extends object, T>(connectionClass: ClassType<C>, page: Page<T>): C {
  return Object.assign(Object.create(connectionClass.prototype) as C, page);
}

// ---------------------------------------------------------------------------------------
// Keyset pages over a list sorted by a field that need not be unique (a name, a status, a
// time). The cursor carries the sort value and the id, and the order is (field, id) in the
// same direction, so ties never repeat or skip a row however the list changes between pages.
// ---------------------------------------------------------------------------------------

/** A position in a sorted list: the sort field's value, and the id that breaks ties. */
export interface SortKey<V> {
  value: V;
  id: number;
}

export type SortDirection = 'asc' | 'desc';

/**
 * What one keyset query must return, in `direction` order (already reversed when paging
 * backwards): rows strictly beyond `after` and strictly short of `before`, at most `take`.
 */
export interface SortedWindow<V> {
  after: SortKey<V> | null;
  before: SortKey<V> | null;
  direction: SortDirection;
  take: number;
}

const SORT_CURSOR_PREFIX = 'keyset:';
// Names may be 200 characters of any script: longer than the id cursors' 400-character cap.
const MAX_SORT_CURSOR_LENGTH = 2400;

export function encodeSortCursor(key: SortKey<string | number>): string {
  return Buffer.from(`${SORT_CURSOR_PREFIX}${JSON.stringify([key.value, key.id])}`, 'utf8').toString('base64url');
}

/** Decodes a cursor of a sorted list; `parseValue` insists on the sort field's type. */
export function decodeSortCursor<V>(cursor: string, argument: string, parseValue: (raw: unknown) => V | null): SortKey<V> {
  const refuse = () => badInput(`"${cursor.slice(0, 60)}" is not a cursor from this list (or the list is sorted differently now)`, argument);
  if (cursor.length > MAX_SORT_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw refuse();
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!decoded.startsWith(SORT_CURSOR_PREFIX)) throw refuse();
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoded.slice(SORT_CURSOR_PREFIX.length));
  } catch {
    throw refuse();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || !Number.isSafeInteger(parsed[1]) || (parsed[1] as number) < 0) throw refuse();
  const value = parseValue(parsed[0]);
  if (value === null) throw refuse();
  return { value, id: parsed[1] as number };
}

/**
 * Pages a database list sorted by (field, id) with keyset conditions. `keyOf` gives an item's
 * position (the value must round-trip through JSON: use ISO strings for times); `fetch` runs
 * one query for the window; `count` runs only if `totalCount` is selected.
 */
export async function pageFromSortedQuery<T, V extends string | number>(
  args: ConnectionArgs,
  sort: { direction: SortDirection; keyOf: (item: T) => SortKey<V>; parseValue: (raw: unknown) => V | null },
  fetch: (window: SortedWindow<V>) => Promise<T[]>,
  count: () => Promise<number>,
): Promise<Page<T>> {
  const request = pageRequest({ first: args.first, last: args.last });
  const after = args.after ? decodeSortCursor(args.after, 'after', sort.parseValue) : null;
  const before = args.before ? decodeSortCursor(args.before, 'before', sort.parseValue) : null;
  const reversed: SortDirection = sort.direction === 'asc' ? 'desc' : 'asc';
  const rows = await fetch(
    request.backward
      ? { after: before, before: after, direction: reversed, take: request.size + 1 }
      : { after, before, direction: sort.direction, take: request.size + 1 },
  );
  const hasMore = rows.length > request.size;
  const pageRows = rows.slice(0, request.size);
  if (request.backward) pageRows.reverse();
  const edges = pageRows.map((node) => ({ node, cursor: encodeSortCursor(sort.keyOf(node)) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: request.backward ? before !== null : hasMore,
      hasPreviousPage: request.backward ? hasMore : after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    countItems: count,
  };
}

/**
 * The conditions (to AND into a query's where) that keep a sorted window's rows: beyond
 * `after` means field beyond value, or field equal and id beyond. `beyond(op, value)` and
 * `equal(value)` build the field's own conditions (an enum compares by its declared order).
 */
export function keysetConditions<V, W extends { OR?: W[]; AND?: W | W[] }>(
  window: SortedWindow<V>,
  beyond: (op: 'gt' | 'lt', value: V) => W,
  equal: (value: V) => W,
): W[] {
  const forward = window.direction === 'asc' ? 'gt' : 'lt';
  const backward = forward === 'gt' ? 'lt' : 'gt';
  // `id` exists on every model these lists page over; W cannot say so generically.
  const idBeyond = (op: 'gt' | 'lt', id: number) => ({ id: { [op]: id } }) as unknown as W;
  const condition = (key: SortKey<V>, op: 'gt' | 'lt') => ({ OR: [beyond(op, key.value), { AND: [equal(key.value), idBeyond(op, key.id)] } as W] }) as W;
  return [...(window.after ? [condition(window.after, forward)] : []), ...(window.before ? [condition(window.before, backward)] : [])];
}

/**
 * The page of a keyset read by (name, id) whose cursors name items by id, as `pageFromArray`
 * would give it over the whole list: `rows` are at most `size + 1` items strictly between the
 * cursors' items, in the read's direction (reversed when paging backwards); a cursor whose item
 * is not in the list bounds nothing (`afterFound`/`beforeFound` false), as in `pageFromArray`.
 */
export function pageFromKeysetRows<T>(
  request: PageRequest,
  rows: readonly T[],
  found: { after: boolean; before: boolean },
  keyOf: (item: T) => number,
  countItems: () => Promise<number>,
): Page<T> {
  const hasMore = rows.length > request.size;
  const pageRows = rows.slice(0, request.size);
  if (request.backward) pageRows.reverse();
  const edges = pageRows.map((node) => ({ node, cursor: encodeCursor(keyOf(node)) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: request.backward ? found.before : hasMore,
      hasPreviousPage: request.backward ? hasMore : found.after,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    countItems,
  };
}

/** A cursor's key as the id it names, or null (an unknown cursor bounds nothing, as in pageFromArray). */
export function idOfCursorKey(key: string | null): number | null {
  return key !== null && /^\d{1,9}$/.test(key) ? Number(key) : null;
}
