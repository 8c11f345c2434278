import { decodeSortCursor, encodeSortCursor, pageFromSortedQuery, type ConnectionArgs, type Page, type SortedWindow } from './connection';
import { sortedQuery, type SortColumn } from './ordering';

/**
 * A fake table that evaluates the where/orderBy `sortedQuery` builds (the same shapes Prisma
 * receives), so these tests exercise the real keyset conditions, not a re-implementation.
 */
interface Row {
  id: number;
  name: string;
  status: string;
  at: Date;
}

type Where = { OR?: Where[]; AND?: Where | Where[] } & Record<string, unknown>;

function matches(row: Row, where: Where): boolean {
  return Object.entries(where).every(([key, condition]) => {
    if (key === 'OR') return (condition as Where[]).some((w) => matches(row, w));
    if (key === 'AND') return ([] as Where[]).concat(condition as Where | Where[]).every((w) => matches(row, w));
    const value = row[key as keyof Row];
    const plain = (v: unknown) => (v instanceof Date ? v.getTime() : v) as number | string;
    if (condition !== null && typeof condition === 'object' && !(condition instanceof Date)) {
      const c = condition as { gt?: unknown; lt?: unknown; in?: unknown[] };
      if (c.in) return c.in.includes(value);
      if (c.gt !== undefined) return plain(value) > plain(c.gt);
      if (c.lt !== undefined) return plain(value) < plain(c.lt);
    }
    return plain(value) === plain(condition);
  });
}

const STATUS_ORDER = ['PROPOSED', 'ACTIVE', 'PAUSED', 'COMPLETED'];

function compare(a: Row, b: Row, column: keyof Row, direction: 'asc' | 'desc'): number {
  const key = (r: Row) => (column === 'status' ? STATUS_ORDER.indexOf(r.status) : r[column] instanceof Date ? (r[column] as Date).getTime() : r[column]);
  const [x, y] = [key(a), key(b)];
  const sign = direction === 'asc' ? 1 : -1;
  if (x !== y) return (x < y ? -1 : 1) * sign;
  return (a.id - b.id) * sign;
}

function fakeFetch(rows: Row[], sort: SortColumn<Row>) {
  const queries: Array<SortedWindow<string>> = [];
  const fetch = async (window: SortedWindow<string>) => {
    queries.push(window);
    const query = sortedQuery<Row, Where>(sort, window);
    return rows
      .filter((row) => query.conditions.every((c) => matches(row, c)))
      .sort((a, b) => compare(a, b, sort.column as keyof Row, window.direction))
      .slice(0, window.take);
  };
  return { fetch, queries };
}

// Many ties: names repeat, statuses repeat, times repeat.
const ROWS: Row[] = Array.from({ length: 23 }, (_, i) => ({
  id: i + 1,
  name: ['Beta', 'Alpha', 'Gamma'][i % 3],
  status: STATUS_ORDER[(i * 7) % 4],
  at: new Date(Date.UTC(2026, 0, 1 + (i % 4))),
}));

const SORTS: Record<string, SortColumn<Row>> = {
  name: { column: 'name', kind: 'text', valueOf: (r) => r.name },
  status: { column: 'status', kind: 'enum', order: STATUS_ORDER, valueOf: (r) => r.status },
  at: { column: 'at', kind: 'time', valueOf: (r) => r.at },
};

function valueOf(sort: SortColumn<Row>, row: Row): string {
  return sort.kind === 'time' ? sort.valueOf(row).toISOString() : sort.valueOf(row);
}

async function walk(sort: SortColumn<Row>, direction: 'asc' | 'desc', size: number, backward = false): Promise<number[]> {
  const { fetch } = fakeFetch(ROWS, sort);
  const options = { direction, keyOf: (r: Row) => ({ value: valueOf(sort, r), id: r.id }), parseValue: (raw: unknown) => (typeof raw === 'string' ? raw : null) };
  const seen: number[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const args: ConnectionArgs = backward ? { last: size, before: cursor } : { first: size, after: cursor };
    const page: Page<Row> = await pageFromSortedQuery(args, options, fetch, async () => ROWS.length);
    const ids = page.edges.map((e) => e.node.id);
    if (backward) seen.unshift(...ids);
    else seen.push(...ids);
    const more = backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage;
    if (!more) break;
    cursor = backward ? page.pageInfo.startCursor : page.pageInfo.endCursor;
  }
  return seen;
}

describe('pageFromSortedQuery (keyset on a non-unique column)', () => {
  test.each([
    ['name', 'asc'],
    ['name', 'desc'],
    ['status', 'asc'],
    ['status', 'desc'],
    ['at', 'asc'],
    ['at', 'desc'],
  ] as const)('by %s %s: pages of every size visit each row once, in order, forwards and backwards', async (column, direction) => {
    const sort = SORTS[column];
    const expected = [...ROWS].sort((a, b) => compare(a, b, sort.column as keyof Row, direction)).map((r) => r.id);
    for (const size of [1, 2, 5, 7, 23, 40]) {
      expect(await walk(sort, direction, size)).toEqual(expected);
      expect(await walk(sort, direction, size, true)).toEqual(expected);
    }
  });

  test('pageInfo: first page, middle, last page', async () => {
    const sort = SORTS.name;
    const { fetch } = fakeFetch(ROWS, sort);
    const options = { direction: 'asc' as const, keyOf: (r: Row) => ({ value: r.name, id: r.id }), parseValue: (raw: unknown) => (typeof raw === 'string' ? raw : null) };
    const first = await pageFromSortedQuery({ first: 10 }, options, fetch, async () => 23);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await pageFromSortedQuery({ first: 10, after: first.pageInfo.endCursor }, options, fetch, async () => 23);
    expect(second.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const third = await pageFromSortedQuery({ first: 10, after: second.pageInfo.endCursor }, options, fetch, async () => 23);
    expect(third.edges).toHaveLength(3);
    expect(third.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    // A window between two cursors
    const between = await pageFromSortedQuery({ first: 100, after: first.pageInfo.endCursor, before: third.pageInfo.startCursor }, options, fetch, async () => 23);
    expect(between.edges.map((e) => e.node.id)).toEqual(second.edges.map((e) => e.node.id));
  });

  test('a row inserted among ties before the cursor does not shift the next page', async () => {
    const sort = SORTS.name;
    const options = { direction: 'asc' as const, keyOf: (r: Row) => ({ value: r.name, id: r.id }), parseValue: (raw: unknown) => (typeof raw === 'string' ? raw : null) };
    const first = await pageFromSortedQuery({ first: 4 }, options, fakeFetch(ROWS, sort).fetch, async () => 23);
    const next = await pageFromSortedQuery({ first: 4, after: first.pageInfo.endCursor }, options, fakeFetch(ROWS, sort).fetch, async () => 23);
    const grown = [...ROWS, { id: 0, name: 'Alpha', status: 'ACTIVE', at: new Date() }];
    const again = await pageFromSortedQuery({ first: 4, after: first.pageInfo.endCursor }, options, fakeFetch(grown, sort).fetch, async () => 24);
    expect(again.edges.map((e) => e.node.id)).toEqual(next.edges.map((e) => e.node.id));
  });

  test('page sizes are checked as everywhere else', async () => {
    const options = { direction: 'asc' as const, keyOf: (r: Row) => ({ value: r.name, id: r.id }), parseValue: () => null };
    await expect(pageFromSortedQuery({ first: 101 }, options, async () => [], async () => 0)).rejects.toThrow('between 0 and 100');
  });
});

describe('sort cursors', () => {
  const parse = (raw: unknown) => (typeof raw === 'string' ? raw : null);
  test('round-trip long names in any script', () => {
    const name = 'Ŵéłsh ç 日本語 '.repeat(14);
    expect(decodeSortCursor(encodeSortCursor({ value: name, id: 42 }), 'after', parse)).toEqual({ value: name, id: 42 });
  });
  test.each([
    ['an id cursor', Buffer.from('cursor:17').toString('base64url')],
    ['garbage', 'not a cursor!'],
    ['bad JSON', Buffer.from('keyset:[oops').toString('base64url')],
    ['a wrong shape', Buffer.from('keyset:{"a":1}').toString('base64url')],
    ['a fractional id', Buffer.from('keyset:["x",1.5]').toString('base64url')],
    ['a value of the wrong type', Buffer.from('keyset:[3,1]').toString('base64url')],
  ])('refuse %s', (_what, cursor) => {
    expect(() => decodeSortCursor(cursor, 'after', parse)).toThrow('is not a cursor from this list');
  });
});
