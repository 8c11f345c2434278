import DataLoader from 'dataloader';
import { groupBy } from '../lib/group-by';
import { encodeCursor, idOfCursorKey, pageRequest, type ConnectionArgs, type IdWindow, type Page, type PageRequest } from './connection';

/**
 * Pages of a child list for many parents at once (each workstream's milestones, each measure's
 * workstreams, ...), cut in SQL: one statement per distinct page request returns only the pages'
 * rows, with each parent's total and where its page starts and ends. A response with a hundred
 * parents of thousands of children each carries a page per parent, never every child.
 *
 * The order and cursors are those `pageFromArray` gives over the same list: a cursor names an
 * item by its integer key, and a page starts after (ends before) that item's position in its
 * parent's list. A cursor of no item of the list starts (ends) the list, as in memory.
 */
export interface ChildListSql {
  /** The parent's key in the list ("wt.workstream_id"): the partition, matched against the keys in `$1`. */
  parent: string;
  /** The item's integer key, its cursor ("m.id"). */
  item: string;
  /** The item's columns, aliased ("m.title, m.due_date"); no alias may start with `page_`. */
  columns: string;
  /** FROM ... WHERE ..., keeping only children of the parents in `$1` (and the reader's trusts, for a trust-bound table). */
  from: string;
  /** Within one parent, ending in a unique column so the order is total ("m.due_date, m.id"). */
  orderBy: string;
}

/** What a row of `childPagesSql` carries beside the item's own columns. */
export interface ChildPageRow {
  page_parent: string | number;
  page_total: number | bigint;
  page_start: number | bigint;
  page_end: number | bigint;
  item_key: number | null;
}

/** Runs one SQL statement with positional parameters (e.g. through `ctx.prisma.$queryRawUnsafe`). */
export type RunSql = <Row>(sql: string, params: unknown[]) => Promise<Row[]>;

/** A RunSql through a Prisma client's `$queryRawUnsafe`: its statements are counted, and dates come back as Dates. */
export function runSqlThroughPrisma(client: { $queryRawUnsafe<T>(sql: string, ...values: unknown[]): Promise<T> }): RunSql {
  return <Row>(sql: string, params: unknown[]) => client.$queryRawUnsafe<Row[]>(sql, ...params);
}

/**
 * A table's list in SQL for `pageFromQuery`, ordered by id (as `pageTableById` reads one through
 * Prisma): `idListWindow` is its fetch, `idListCount` its count.
 */
export interface IdListSql {
  /** the columns read, aliased as the row type has them */
  columns: string;
  /** the table and its alias ("measure m") */
  from: string;
  /** the id column ("m.id") */
  id: string;
  /** the list's condition, pushing its parameters onto `params` (called once per statement) */
  where: (params: unknown[]) => string;
}

/** One window of the list: its condition, the window's id bounds, order and size. */
export function idListWindow<Row>(run: RunSql, list: IdListSql, window: IdWindow): Promise<Row[]> {
  const params: unknown[] = [];
  let where = list.where(params);
  if (window.idGt !== undefined) where += ` AND ${list.id} > $${params.push(window.idGt)}`;
  if (window.idLt !== undefined) where += ` AND ${list.id} < $${params.push(window.idLt)}`;
  const order = window.order === 'desc' ? 'DESC' : 'ASC';
  return run<Row>(`SELECT ${list.columns} FROM ${list.from} WHERE ${where} ORDER BY ${list.id} ${order} LIMIT $${params.push(window.take)}`, params);
}

/** How many rows the list holds. */
export async function idListCount(run: RunSql, list: IdListSql): Promise<number> {
  const params: unknown[] = [];
  const [row] = await run<{ n: number | string | bigint }>(`SELECT count(*)::int AS n FROM ${list.from} WHERE ${list.where(params)}`, params);
  return Number(row?.n ?? 0);
}

export const EMPTY_PAGE: Page<never> = {
  edges: [],
  pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  countItems: async () => 0,
};

/**
 * One page (`request`) of each parent's list: `list(params)` writes the list's SQL, with the
 * parents' keys in `$1` (pushing any parameters of its own onto `params`), and `toNode` maps a
 * row to the API type. Parents with no children are absent from the map.
 */
export async function childPages<Row extends ChildPageRow, T>(
  run: RunSql,
  parentKeys: readonly (string | number)[],
  request: PageRequest,
  list: (params: unknown[]) => ChildListSql,
  toNode: (row: Row) => T,
): Promise<Map<string, Page<T>>> {
  const params: unknown[] = [[...parentKeys], idOfCursorKey(request.afterKey), idOfCursorKey(request.beforeKey), request.size, request.backward];
  const sql = list(params);
  const rows = await run<Row>(
    `WITH items AS (
       SELECT ${sql.parent} AS parent_key, ${sql.item} AS item_key, ${sql.columns},
              row_number() OVER (PARTITION BY ${sql.parent} ORDER BY ${sql.orderBy}) AS pos
       ${sql.from}
     ), bounds AS (
       SELECT parent_key, count(*) AS total,
              coalesce(max(pos) FILTER (WHERE item_key = $2::int), 0) AS start_pos,
              coalesce(max(pos) FILTER (WHERE item_key = $3::int) - 1, count(*)) AS end_pos
       FROM items GROUP BY parent_key
     )
     SELECT b.parent_key AS page_parent, b.total AS page_total, b.start_pos AS page_start, b.end_pos AS page_end, i.*
     FROM bounds b
     LEFT JOIN items i ON i.parent_key = b.parent_key AND i.pos > b.start_pos AND i.pos <= b.end_pos
       AND CASE WHEN $5::boolean THEN i.pos > b.end_pos - $4::int ELSE i.pos <= b.start_pos + $4::int END
     ORDER BY b.parent_key, i.pos`,
    params,
  );
  const byParent = groupBy(rows, (row) => String(row.page_parent), (row) => row);
  const pages = new Map<string, Page<T>>();
  for (const [parentKey, list] of byParent) {
    const total = Number(list[0].page_total);
    const start = Number(list[0].page_start);
    const end = Number(list[0].page_end);
    const items = list.filter((row) => row.item_key !== null);
    const edges = items.map((row) => ({ node: toNode(row), cursor: encodeCursor(Number(row.item_key)) }));
    const windowLength = Math.max(0, end - start);
    pages.set(parentKey, {
      edges,
      pageInfo: {
        hasNextPage: request.backward ? end < total : windowLength > edges.length,
        hasPreviousPage: request.backward ? windowLength > edges.length : start > 0,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
      countItems: async () => total,
    });
  }
  return pages;
}

/**
 * A DataLoader over `childPages`: `load(parentKey, args)` from every resolver of a request is
 * batched, one statement per distinct page request (a hundred workstreams each asking
 * `milestones(first: 10)` is one statement).
 */
export function childPageLoader<K extends string | number, T>(fetch: (parentKeys: readonly K[], request: PageRequest) => Promise<Map<string, Page<T>>>) {
  type Key = { parent: K; requestKey: string };
  const loader = new DataLoader<Key, Page<T>, string>(
    async (keys) => {
      const groups = new Map<string, K[]>();
      for (const key of keys) groups.set(key.requestKey, [...(groups.get(key.requestKey) ?? []), key.parent]);
      const found = new Map<string, Page<T>>();
      await Promise.all(
        [...groups].map(async ([requestKey, parents]) => {
          const unique = [...new Set(parents)];
          const pages = await fetch(unique, JSON.parse(requestKey) as PageRequest);
          for (const parent of unique) found.set(`${parent}|${requestKey}`, pages.get(String(parent)) ?? (EMPTY_PAGE as Page<T>));
        }),
      );
      return keys.map((key) => found.get(`${key.parent}|${key.requestKey}`) as Page<T>);
    },
    { cacheKeyFn: (key) => `${key.parent}|${key.requestKey}` },
  );
  return (parent: K, args: ConnectionArgs): Promise<Page<T>> => {
    // Validates first/last and the cursors before anything is batched.
    const request = pageRequest(args);
    const requestKey = JSON.stringify({ size: request.size, backward: request.backward, afterKey: request.afterKey, beforeKey: request.beforeKey });
    return loader.load({ parent, requestKey });
  };
}
