import type { PrismaClient } from '../generated/prisma/client';
import { perRequest } from '../graphql/context';
import { loaderByKey, loaderOfLists } from '../graphql/loaders';
import { measureFromRow, measureTargetFromRow } from './measure.type';

/** Links listed by their measure's name, then creation order. */
const BY_MEASURE_NAME = [{ measure: { name: 'asc' as const } }, { measureId: 'asc' as const }];

function buildMeasureLoaders(prisma: PrismaClient) {
  return {
    measureById: loaderByKey((ids: number[]) => prisma.measure.findMany({ where: { id: { in: ids } } }), (row) => row.id, measureFromRow),
    measureByCode: loaderByKey((codes: string[]) => prisma.measure.findMany({ where: { code: { in: codes } } }), (row) => row.code, measureFromRow),
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
      (ids: number[]) => prisma.measurePrinciple.findMany({ where: { measureId: { in: ids } } }),
      (link) => link.measureId,
      (link) => link.principleId,
    ),
    workstreamIdsByMeasure: loaderOfLists(
      (ids: number[]) => prisma.measureWorkstream.findMany({ where: { measureId: { in: ids } } }),
      (link) => link.measureId,
      (link) => link.workstreamId,
    ),
    targetsByMeasure: loaderOfLists(
      (ids: number[]) => prisma.measureTarget.findMany({ where: { measureId: { in: ids } }, orderBy: { id: 'asc' } }),
      (row) => row.measureId,
      measureTargetFromRow,
    ),
  };
}

/** This feature's DataLoaders for the request (made on first use, dropped after a write). */
export const measureLoaders = perRequest((ctx) => buildMeasureLoaders(ctx.prisma));
