import type { PrismaClient } from '../generated/prisma/client';
import { sharedOrInTrustsSql } from '../access/tenancy';
import { perRequest, type RequestContext } from '../graphql/context';
import { loaderByKey, loaderOfLists } from '../graphql/loaders';
import { measureFromRow, measureTargetFromRow } from './measure.type';
import { measuresByCodeSql, measuresByIdSql, principleLinksSql } from './measure.sql';

/** Links listed by their measure's name, then creation order. */
const BY_MEASURE_NAME = [{ measure: { name: 'asc' as const } }, { measureId: 'asc' as const }];

/**
 * The targets of measures, through the driver rather than Prisma's client (every series reads
 * them; issue 15), under the same trust condition the tenancy extension applies: a trust-wide
 * target (no org unit) is shared, a unit's is its trust's.
 */
async function targetsSql(ctx: RequestContext, measureIds: number[]) {
  const params: unknown[] = [measureIds];
  const trusts = sharedOrInTrustsSql(ctx.actor, 't.org_unit_id', params);
  return ctx.db.raw.query<{ id: number; measureId: number; orgUnitId: number | null; value: number; rationale: string | null; version: number }>(
    `SELECT t.id, t.measure_id AS "measureId", t.org_unit_id AS "orgUnitId", t.value, t.rationale, t.version
     FROM measure_target t WHERE t.measure_id = ANY($1::int[])${trusts} ORDER BY t.id`,
    params,
  );
}

function buildMeasureLoaders(ctx: RequestContext) {
  const prisma: PrismaClient = ctx.prisma;
  return {
    // Every series reads its measure: through the driver (measure.sql.ts).
    measureById: loaderByKey((ids: number[]) => measuresByIdSql(ctx.db, ids), (row) => row.id, measureFromRow),
    measureByCode: loaderByKey((codes: string[]) => measuresByCodeSql(ctx.db, codes), (row) => row.code, measureFromRow),
    /** Live measures evidencing each principle, by name. */
    measuresByPrinciple: loaderOfLists(
      (principleIds: number[]) => prisma.measurePrinciple.findMany({ where: { principleId: { in: principleIds }, measure: { archivedAt: null } }, include: { measure: true }, orderBy: BY_MEASURE_NAME }),
      (link) => link.principleId,
      (link) => measureFromRow(link.measure),
    ),
    /** Live measures a workstream owns, by name. */
    measuresByWorkstream: loaderOfLists(
      (workstreamIds: number[]) => prisma.measureWorkstream.findMany({ where: { workstreamId: { in: workstreamIds }, measure: { archivedAt: null } }, include: { measure: true }, orderBy: BY_MEASURE_NAME }),
      (link) => link.workstreamId,
      (link) => measureFromRow(link.measure),
    ),
    principleIdsByMeasure: loaderOfLists(
      (ids: number[]) => principleLinksSql(ctx.db, ids),
      (link) => link.measureId,
      (link) => link.principleId,
    ),
    workstreamIdsByMeasure: loaderOfLists(
      (ids: number[]) => prisma.measureWorkstream.findMany({ where: { measureId: { in: ids } } }),
      (link) => link.measureId,
      (link) => link.workstreamId,
    ),
    targetsByMeasure: loaderOfLists(
      (ids: number[]) => targetsSql(ctx, ids),
      (row) => row.measureId,
      measureTargetFromRow,
    ),
  };
}

/** This feature's DataLoaders for the request (made on first use, dropped after a write). */
export const measureLoaders = perRequest(buildMeasureLoaders);
