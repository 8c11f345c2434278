import type { Actor } from '../access/actor';
import { unitInTrustsSql } from '../access/tenancy';
import type { Database } from '../db/database';
import type { OrgUnitType } from '../generated/prisma/enums';
import type { IdWindow } from '../graphql/connection';
import { idListCount, idListWindow, type IdListSql } from '../graphql/sql-pages';
import type { OrgUnitRowFields } from './org-unit.type';

/**
 * The hot org-unit reads (a page of units, units by id for `parent` and by code) in raw SQL over the
 * driver: Prisma's client and query compiler were a quarter of the CPU of such a request
 * (issue 15). Raw SQL is not trust-scoped by the tenancy extension, so every statement here
 * carries the tenancy module's condition itself (unitInTrustsSql: the first segment of the path).
 * `db.raw` counts each statement for the SQL counter, as Prisma's adapter does its own.
 */

const COLUMNS = `u.id, u.code, u.name, u.type::text AS type, u.ods_code AS "odsCode", u.parent_id AS "parentId",
  u.path, u.depth, u.version, u.archived_at AS "archivedAt"`;

export function orgUnitsByIdSql(db: Database, actor: Actor, ids: readonly number[]): Promise<OrgUnitRowFields[]> {
  const params: unknown[] = [[...ids]];
  return db.raw.query<OrgUnitRowFields>(`SELECT ${COLUMNS} FROM org_unit u WHERE u.id = ANY($1::int[])${unitInTrustsSql(actor, 'u.path', params)}`, params);
}

export function orgUnitsByCodeSql(db: Database, actor: Actor, codes: readonly string[]): Promise<OrgUnitRowFields[]> {
  const params: unknown[] = [[...codes]];
  return db.raw.query<OrgUnitRowFields>(`SELECT ${COLUMNS} FROM org_unit u WHERE u.code = ANY($1::text[])${unitInTrustsSql(actor, 'u.path', params)}`, params);
}

export interface PlainOrgUnitFilter {
  type?: OrgUnitType | null;
  includeArchived?: boolean | null;
}

function whereOf(actor: Actor, filter: PlainOrgUnitFilter, params: unknown[]): string {
  let where = 'TRUE';
  if (filter.type) where += ` AND u.type = $${params.push(filter.type)}::"OrgUnitType"`;
  if (!filter.includeArchived) where += ' AND u.archived_at IS NULL';
  return where + unitInTrustsSql(actor, 'u.path', params);
}

const plainList = (actor: Actor, filter: PlainOrgUnitFilter): IdListSql => ({ columns: COLUMNS, from: 'org_unit u', id: 'u.id', where: (params) => whereOf(actor, filter, params) });

/** One window of the id-ordered list (as pageTableById reads it). */
export function orgUnitWindowSql(db: Database, actor: Actor, filter: PlainOrgUnitFilter, window: IdWindow): Promise<OrgUnitRowFields[]> {
  return idListWindow<OrgUnitRowFields>(db.raw.query, plainList(actor, filter), window);
}

export function orgUnitCountSql(db: Database, actor: Actor, filter: PlainOrgUnitFilter): Promise<number> {
  return idListCount(db.raw.query, plainList(actor, filter));
}
