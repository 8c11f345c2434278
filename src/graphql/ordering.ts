import { registerEnumType } from 'type-graphql';
import { keysetConditions, type SortDirection, type SortedWindow } from './connection';

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
