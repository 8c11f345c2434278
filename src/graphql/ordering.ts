import { registerEnumType } from 'type-graphql';
import { keysetConditions, pageFromSortedQuery, type ConnectionArgs, type Page, type SortDirection, type SortedWindow } from './connection';

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, { name: 'OrderDirection' });

/**
 * How a list may be sorted by one column: text and times compare as the database does; an
 * enum compares by its declared order (as PostgreSQL sorts enums), so "beyond ACTIVE" is an
 * IN list of the later values.
 */
export type SortColumn<T> =
  | { column: string; kind: 'text'; valueOf: (item: T) => string }
  | { column: string; kind: 'time'; valueOf: (item: T) => Date }
  | { column: string; kind: 'enum'; order: readonly string[]; valueOf: (item: T) => string };

export function sortDirection(direction: OrderDirection | null | undefined, fallback: SortDirection = 'asc'): SortDirection {
  return direction ? (direction === OrderDirection.DESC ? 'desc' : 'asc') : fallback;
}

/** The cursor value of an item: times travel as ISO strings. */
export function sortValueOf<T>(sort: SortColumn<T>, item: T): string {
  return sort.kind === 'time' ? sort.valueOf(item).toISOString() : sort.valueOf(item);
}

/** Accepts a cursor's value only if it fits the column (a foreign or tampered cursor is refused). */
export function parseSortValue<T>(sort: SortColumn<T>): (raw: unknown) => string | null {
  return (raw) => {
    if (typeof raw !== 'string') return null;
    if (sort.kind === 'time') return Number.isNaN(Date.parse(raw)) ? null : raw;
    if (sort.kind === 'enum') return sort.order.includes(raw) ? raw : null;
    return raw;
  };
}

/** The where conditions and orderBy of one keyset query over a Prisma model sorted by (column, id). */
export function sortedQuery<T, W extends { OR?: W[]; AND?: W | W[] }>(sort: SortColumn<T>, window: SortedWindow<string>) {
  const value = (raw: string): unknown => (sort.kind === 'time' ? new Date(raw) : raw);
  const beyond = (op: 'gt' | 'lt', raw: string): W => {
    if (sort.kind === 'enum') {
      const at = sort.order.indexOf(raw);
      const later = op === 'gt' ? sort.order.slice(at + 1) : sort.order.slice(0, Math.max(0, at));
      return { [sort.column]: { in: later } } as unknown as W;
    }
    return { [sort.column]: { [op]: value(raw) } } as unknown as W;
  };
  const equal = (raw: string): W => ({ [sort.column]: value(raw) }) as unknown as W;
  return {
    conditions: keysetConditions<string, W>(window, beyond, equal),
    orderBy: [{ [sort.column]: window.direction }, { id: window.direction }],
  };
}

/** What `pageTableSorted` needs of a table: its Prisma model delegate (e.g. `ctx.prisma.measure`) fits. */
export interface SortedTable<Row, Where> {
  findMany(query: { where: { AND: Where[] }; orderBy: Array<Record<string, SortDirection>>; take: number }): PromiseLike<Row[]>;
  count(query: { where: Where }): PromiseLike<number>;
}

/**
 * A table's rows matching `where`, sorted by one column (ties by id) and paged with keyset
 * cursors: the sorted twin of `pageTableById`.
 */
export function pageTableSorted<Row, T extends { dbId: number | bigint }, Where>(
  args: ConnectionArgs,
  table: SortedTable<Row, NoInfer<Where>>,
  where: Where,
  sort: SortColumn<T>,
  direction: SortDirection,
  toNode: (row: Row) => T,
): Promise<Page<T>> {
  return pageFromSortedQuery(
    args,
    { direction, keyOf: (node: T) => ({ value: sortValueOf(sort, node), id: Number(node.dbId) }), parseValue: parseSortValue(sort) },
    async (window) => {
      // Every model these lists page has the sort column and an integer id; the generic Where cannot say so.
      const query = sortedQuery<T, AnyWhere>(sort, window);
      const rows = await table.findMany({ where: { AND: [where, ...(query.conditions as Where[])] }, orderBy: query.orderBy, take: window.take });
      return rows.map(toNode);
    },
    async () => table.count({ where }),
  );
}

/** A where clause of any model, as far as keyset conditions need to know. */
interface AnyWhere {
  OR?: AnyWhere[];
  AND?: AnyWhere | AnyWhere[];
  [column: string]: unknown;
}
