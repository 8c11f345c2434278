import type { Actor } from '../access/actor';
import { unitInTrustsSql } from '../access/tenancy';
import type { Database } from '../db/database';
import type { PageRequest } from '../graphql/connection';
import type { OrgUnitRowFields } from '../organisation/org-unit.type';
import type { WorkstreamReach } from './coverage';

/**
 * The coverage matrix's reads of the subtree, in raw SQL over the driver, each returning only
 * what the answer holds: one page of columns, each workstream's reach aggregated over its links,
 * the teams in no workstream. The matrix used to read every unit of the subtree and every team
 * link into JS and walk them there per cell (issue 15 item 3).
 * Raw SQL is not trust-scoped by the tenancy extension: every statement that returns org units
 * carries unitInTrustsSql itself (the root was resolved through it, so its subtree is of the
 * reader's trusts in any case). `db.raw` counts each statement for the SQL counter.
 */

const UNIT_COLUMNS = `u.id, u.code, u.name, u.type::text AS type, u.ods_code AS "odsCode", u.parent_id AS "parentId",
  u.path, u.depth, u.version, u.archived_at AS "archivedAt"`;

export interface SubtreeRoot {
  dbId: number;
  path: string;
  depth: number;
}

export interface ColumnsWindow {
  /** at most `size + 1` columns beyond the cursor, in the read's direction */
  rows: OrgUnitRowFields[];
  afterFound: boolean;
  beforeFound: boolean;
  total: number;
}

/**
 * A page of the live units at `depth` of the root's subtree, by (name, id): keyset from the
 * cursors' units (a cursor naming no such unit bounds nothing, as pageFromArray has it), with
 * the count of every column.
 */
export async function columnsWindowSql(db: Database, actor: Actor, root: SubtreeRoot, depth: number, request: PageRequest, afterId: number | null, beforeId: number | null): Promise<ColumnsWindow> {
  const params: unknown[] = [root.path, depth, afterId, beforeId, request.size + 1];
  const columnsWhere = (alias: string) => `${alias}.path LIKE $1 || '%' AND ${alias}.depth = $2::int AND ${alias}.archived_at IS NULL${unitInTrustsSql(actor, `${alias}.path`, params)}`;
  const [near, far, order] = request.backward ? (['b', 'a', 'DESC'] as const) : (['a', 'b', 'ASC'] as const);
  const beyond = (bound: string, op: string) => `(NOT EXISTS (SELECT 1 FROM ${bound}) OR (u.name, u.id) ${op} (SELECT ${bound}.name, ${bound}.id FROM ${bound}))`;
  const rows = await db.raw.query<OrgUnitRowFields & { total: number; after_found: boolean; before_found: boolean }>(
    `WITH a AS (SELECT c.name, c.id FROM org_unit c WHERE c.id = $3::int AND ${columnsWhere('c')}),
          b AS (SELECT c.name, c.id FROM org_unit c WHERE c.id = $4::int AND ${columnsWhere('c')}),
          page AS (
            SELECT ${UNIT_COLUMNS} FROM org_unit u
            WHERE ${columnsWhere('u')} AND ${beyond(near, request.backward ? '<' : '>')} AND ${beyond(far, request.backward ? '>' : '<')}
            ORDER BY u.name ${order}, u.id ${order} LIMIT $5::int
          )
     SELECT page.*, t.total, EXISTS (SELECT 1 FROM a) AS after_found, EXISTS (SELECT 1 FROM b) AS before_found
     FROM (SELECT count(*)::int AS total FROM org_unit u WHERE ${columnsWhere('u')}) t
     LEFT JOIN page ON true`,
    params,
  );
  const first = rows[0];
  return {
    rows: rows.filter((row) => row.id !== null).map(({ total: _t, after_found: _a, before_found: _b, ...unit }) => unit),
    afterFound: first?.after_found ?? false,
    beforeFound: first?.before_found ?? false,
    total: first?.total ?? 0,
  };
}

/**
 * Where each workstream's team links fall, aggregated in SQL over its links: whether it has any,
 * whether a live one is in the root's subtree, and which of the page's columns (units at
 * `columnDepth`) have a live one in theirs: a unit's ancestor at depth d is the (d + 2)th field of
 * its path ("/trust/…/"). Links of other trusts count only as "has a link" (they take a
 * workstream out of a trust's "no team yet"), never as a column's or the subtree's.
 */
export async function workstreamReachSql(db: Database, workstreamIds: readonly number[], root: SubtreeRoot, columnDepth: number, columnIds: readonly number[]): Promise<Map<number, WorkstreamReach>> {
  const rows = await db.raw.query<{ workstream_id: number; in_subtree: boolean; column_ids: number[] | null }>(
    `SELECT wt.workstream_id,
            coalesce(bool_or(u.archived_at IS NULL AND u.path LIKE $2 || '%'), false) AS in_subtree,
            array_agg(DISTINCT nullif(split_part(u.path, '/', $3::int + 2), '')::int)
              FILTER (WHERE u.archived_at IS NULL AND nullif(split_part(u.path, '/', $3::int + 2), '')::int = ANY($4::int[])) AS column_ids
     FROM workstream_team wt JOIN org_unit u ON u.id = wt.org_unit_id
     WHERE wt.workstream_id = ANY($1::int[])
     GROUP BY wt.workstream_id`,
    [[...workstreamIds], root.path, columnDepth, [...columnIds]],
  );
  const reach = new Map<number, WorkstreamReach>();
  for (const id of workstreamIds) reach.set(id, { linked: false, inSubtree: false, columnIds: [] });
  for (const row of rows) reach.set(Number(row.workstream_id), { linked: true, inSubtree: row.in_subtree, columnIds: (row.column_ids ?? []).map(Number) });
  return reach;
}

/** The live teams and wards of the root's subtree that take part in no live workstream, by (name, id). */
export function teamsInNoWorkstreamSql(db: Database, actor: Actor, root: SubtreeRoot): Promise<OrgUnitRowFields[]> {
  const params: unknown[] = [root.path];
  return db.raw.query<OrgUnitRowFields>(
    `SELECT ${UNIT_COLUMNS} FROM org_unit u
     WHERE u.path LIKE $1 || '%' AND u.archived_at IS NULL AND u.type IN ('TEAM', 'WARD')${unitInTrustsSql(actor, 'u.path', params)}
       AND NOT EXISTS (SELECT 1 FROM workstream_team wt JOIN workstream w ON w.id = wt.workstream_id WHERE wt.org_unit_id = u.id AND w.archived_at IS NULL)
     ORDER BY u.name, u.id`,
    params,
  );
}
