import DataLoader from 'dataloader';
import type { Commentary as CommentaryRow, PrismaClient, SpcPhase as SpcPhaseRow } from '../generated/prisma/client';
import { childPageLoader, childPages, runSqlThroughPrisma, type ChildPageRow } from '../graphql/sql-pages';
import { sharedOrInTrustsSql } from '../access/tenancy';
import { groupBy } from '../lib/group-by';
import type { MonthlyPooled } from '../statistics/measure-series';
import { commentaryFromRow, spcPhaseFromRow, type Commentary, type SpcPhase } from './board.type';
import { perRequest, type RequestContext } from '../graphql/context';

/** Key of a measure at an org unit. */
export const pairKey = (measureId: number, orgUnitId: number) => `${measureId}:${orgUnitId}`;

/** Key of the commentary on a measure at an org unit for a period (YYYY-MM-DD): "m:u:YYYY-MM-DD". */
export const commentaryKey = (measureId: number, orgUnitId: number, periodStart: string) => `${pairKey(measureId, orgUnitId)}:${periodStart}`;

type PhaseRow = Omit<SpcPhaseRow, 'periodStart' | 'periodEnd'> & { periodStart: string; periodEnd: string | null };

const utcDay = (day: string): Date => new Date(`${day}T00:00:00Z`);

function splitPairs(keys: readonly string[]): { measureIds: number[]; orgUnitIds: number[] } {
  const pairs = keys.map((key) => key.split(':').map(Number));
  return { measureIds: pairs.map((p) => p[0]), orgUnitIds: pairs.map((p) => p[1]) };
}

function buildBoardLoaders(ctx: RequestContext) {
  const prisma: PrismaClient = ctx.prisma;
  /**
   * Pooled monthly components of each (measure, org unit): one read of the rollups for all pairs.
   * Straight to the driver, not through Prisma's client (a quarter of a series request's CPU,
   * issue 15); the rollup table is internal and read by units already resolved for this actor.
   */
  const rollupSeries = new DataLoader<string, MonthlyPooled[]>(async (keys) => {
    const { measureIds, orgUnitIds } = splitPairs(keys);
    // The rows are already the MonthlyPooled shape (the two ids ride along), and ordered by pair:
    // grouped as they come, with no object or key string made per row (a request reads thousands).
    const rows = await ctx.db.raw.query<MonthlyPooled & { measureId: number; orgUnitId: number }>(
      `SELECT r.measure_id AS "measureId", r.org_unit_id AS "orgUnitId", to_char(r.period_start, 'YYYY-MM-DD') AS "periodStart",
              r.numerator, r.denominator, r.contributors
       FROM unnest($1::int[], $2::int[]) AS k(measure_id, org_unit_id)
       JOIN observation_rollup r ON r.measure_id = k.measure_id AND r.org_unit_id = k.org_unit_id
       ORDER BY r.measure_id, r.org_unit_id, r.period_start`,
      [measureIds, orgUnitIds],
    );
    const groups = new Map<string, MonthlyPooled[]>();
    let current: MonthlyPooled[] = [];
    for (let i = 0; i < rows.length; i += 1) {
      const row = rows[i];
      const previous = rows[i - 1];
      if (!previous || previous.measureId !== row.measureId || previous.orgUnitId !== row.orgUnitId) {
        current = [];
        groups.set(pairKey(row.measureId, row.orgUnitId), current);
      }
      current.push(row);
    }
    return keys.map((key) => groups.get(key) ?? []);
  });

  const phasesByPair = new DataLoader<string, SpcPhase[]>(async (keys) => {
    const { measureIds, orgUnitIds } = splitPairs(keys);
    // Through the driver, as the rollups above; the tenancy rule is the extension's (a unit of the actor's trusts).
    const params: unknown[] = [[...new Set(measureIds)], [...new Set(orgUnitIds)]];
    const trusts = sharedOrInTrustsSql(ctx.actor, 'p.org_unit_id', params);
    const rows = await ctx.db.raw.query<PhaseRow>(
      `SELECT p.id, p.measure_id AS "measureId", p.org_unit_id AS "orgUnitId", p.kind::text AS kind,
              to_char(p.period_start, 'YYYY-MM-DD') AS "periodStart", to_char(p.period_end, 'YYYY-MM-DD') AS "periodEnd",
              p.reason, p.created_by AS "createdBy", p.created_at AS "createdAt", p.archived_at AS "archivedAt"
       FROM spc_phase p WHERE p.measure_id = ANY($1::int[]) AND p.org_unit_id = ANY($2::int[])${trusts}
       ORDER BY p.period_start, p.id`,
      params,
    );
    // Dates as Prisma gives them (UTC midnight), whatever the process's time zone.
    const groups = groupBy(
      rows,
      (r) => pairKey(r.measureId, r.orgUnitId),
      (r) => spcPhaseFromRow({ ...r, periodStart: utcDay(r.periodStart), periodEnd: r.periodEnd === null ? null : utcDay(r.periodEnd) }),
    );
    return keys.map((key) => groups.get(key) ?? []);
  });

  /** Every version of the commentary for (measure, org unit, period) keys "m:u:YYYY-MM-DD", newest first. */
  const commentaryVersionsByKey = new DataLoader<string, Commentary[]>(async (keys) => {
    const parts = keys.map((key) => key.split(':'));
    const rows = await prisma.commentary.findMany({
      where: {
        measureId: { in: [...new Set(parts.map((p) => Number(p[0])))] },
        orgUnitId: { in: [...new Set(parts.map((p) => Number(p[1])))] },
        periodStart: { in: [...new Set(parts.map((p) => p[2]))].map((period) => new Date(`${period}T00:00:00Z`)) },
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    // The query takes every combination of the keys' parts; only the keys asked for are kept.
    const groups = groupBy(rows, (row) => commentaryKey(row.measureId, row.orgUnitId, row.periodStart.toISOString().slice(0, 10)), commentaryFromRow);
    return keys.map((key) => groups.get(key) ?? []);
  });

  /**
   * A page of the commentary versions of (measure, org unit, period) keys, newest first, cut in
   * SQL for every key of the request at once (childPages). Raw SQL reads commentary, a
   * trust-bound table: it keeps the reader's trusts' units, as the tenancy extension does.
   */
  const commentaryPage = childPageLoader((keys: readonly string[], request) => {
    const parts = keys.map((key) => key.split(':'));
    return childPages<ChildPageRow & CommentaryRow, Commentary>(
      runSqlThroughPrisma(prisma),
      keys,
      request,
      (params) => {
        // The key list matches exactly; the id lists let the (measure, unit, period, time) index narrow first.
        const measures = params.push([...new Set(parts.map((p) => Number(p[0])))]);
        const units = params.push([...new Set(parts.map((p) => Number(p[1])))]);
        const key = `c.measure_id || ':' || c.org_unit_id || ':' || to_char(c.period_start, 'YYYY-MM-DD')`;
        return {
          parent: key,
          item: 'c.id',
          columns: 'c.id, c.measure_id AS "measureId", c.org_unit_id AS "orgUnitId", c.period_start AS "periodStart", c.text, c.author, c.created_at AS "createdAt"',
          from: `FROM commentary c WHERE c.measure_id = ANY($${measures}::int[]) AND c.org_unit_id = ANY($${units}::int[]) AND ${key} = ANY($1::text[])${sharedOrInTrustsSql(ctx.actor, 'c.org_unit_id', params)}`,
          orderBy: 'c.created_at DESC, c.id DESC',
        };
      },
      commentaryFromRow,
    );
  });

  return { rollupSeries, phasesByPair, commentaryVersionsByKey, commentaryPage };
}

/** This feature's DataLoaders for the request (made on first use, dropped after a write). */
export const boardLoaders = perRequest(buildBoardLoaders);
