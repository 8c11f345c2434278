import type { Database } from '../db/database';
import type { Audience } from '../generated/prisma/enums';
import type { Measure as MeasureRow } from '../generated/prisma/client';
import type { IdWindow } from '../graphql/connection';
import { idListCount, idListWindow, type IdListSql } from '../graphql/sql-pages';

/**
 * The hot measure reads (by code and id for every series, a page of measures, their principle
 * links) in raw SQL over the driver: Prisma's client and query compiler were a third of the CPU
 * of a page of measures (issue 15). Measures and their principle links belong to no trust (the
 * tenancy extension filters neither), so no trust condition applies. `db.raw` counts each
 * statement for the SQL counter, as Prisma's adapter does its own.
 */

const COLUMNS = `m.id, m.code, m.name, m.description, m.scoring_type::text AS "scoringType",
  m.improvement_direction::text AS "improvementDirection", m.multiplier, m.unit, m.audience::text AS audience,
  m.periodicity::text AS periodicity, m.numerator_label AS "numeratorLabel", m.denominator_label AS "denominatorLabel",
  m.owner_id AS "ownerId", m.disclosure, m.stratifiers, m.version, m.archived_at AS "archivedAt",
  m.created_at AS "createdAt", m.updated_at AS "updatedAt"`;

export function measuresByIdSql(db: Database, ids: readonly number[]): Promise<MeasureRow[]> {
  return db.raw.query<MeasureRow>(`SELECT ${COLUMNS} FROM measure m WHERE m.id = ANY($1::int[])`, [[...ids]]);
}

export function measuresByCodeSql(db: Database, codes: readonly string[]): Promise<MeasureRow[]> {
  return db.raw.query<MeasureRow>(`SELECT ${COLUMNS} FROM measure m WHERE m.code = ANY($1::text[])`, [[...codes]]);
}

/** The filters the plain list takes in SQL (the rest, search and links, go through Prisma). */
export interface PlainMeasureFilter {
  audience?: Audience | null;
  includeArchived?: boolean | null;
}

function whereOf(filter: PlainMeasureFilter, params: unknown[]): string {
  let where = 'TRUE';
  if (filter.audience) where += ` AND m.audience = $${params.push(filter.audience)}::"Audience"`;
  if (!filter.includeArchived) where += ' AND m.archived_at IS NULL';
  return where;
}

const plainList = (filter: PlainMeasureFilter): IdListSql => ({ columns: COLUMNS, from: 'measure m', id: 'm.id', where: (params) => whereOf(filter, params) });

/** One window of the id-ordered list (as pageFromQuery reads it). */
export function measureWindowSql(db: Database, filter: PlainMeasureFilter, window: IdWindow): Promise<MeasureRow[]> {
  return idListWindow<MeasureRow>(db.raw.query, plainList(filter), window);
}

export function measureCountSql(db: Database, filter: PlainMeasureFilter): Promise<number> {
  return idListCount(db.raw.query, plainList(filter));
}

/** The principle links of these measures (any order: the resolver keeps the principles' own). */
export function principleLinksSql(db: Database, measureIds: readonly number[]): Promise<Array<{ measureId: number; principleId: number }>> {
  return db.raw.query<{ measureId: number; principleId: number }>(`SELECT l.measure_id AS "measureId", l.principle_id AS "principleId" FROM measure_principle l WHERE l.measure_id = ANY($1::int[])`, [[...measureIds]]);
}
