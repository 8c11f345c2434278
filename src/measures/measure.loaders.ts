import DataLoader from 'dataloader';
import type { PrismaClient } from '../generated/prisma/client';
import { groupBy } from '../lib/group-by';
import { measureFromRow, measureTargetFromRow, type Measure, type MeasureTarget } from './measure.type';
import { perRequest } from '../graphql/context';

function buildMeasureLoaders(prisma: PrismaClient) {
  const byId = new DataLoader<number, Measure | null>(async (ids) => {
    const rows = await prisma.measure.findMany({ where: { id: { in: [...ids] } } });
    const map = new Map(rows.map((row) => [row.id, measureFromRow(row)]));
    return ids.map((id) => map.get(id) ?? null);
  });
  const byCode = new DataLoader<string, Measure | null>(async (codes) => {
    const rows = await prisma.measure.findMany({ where: { code: { in: [...codes] } } });
    const map = new Map(rows.map((row) => [row.code, measureFromRow(row)]));
    return codes.map((code) => map.get(code) ?? null);
  });
  /** Live measures evidencing each principle, by name. */
  const byPrincipleId = new DataLoader<number, Measure[]>(async (principleIds) => {
    const links = await prisma.measurePrinciple.findMany({
      where: { principleId: { in: [...principleIds] }, measure: { archivedAt: null } },
      include: { measure: true },
      orderBy: [{ measure: { name: 'asc' } }, { measureId: 'asc' }],
    });
    const groups = groupBy(links, (l) => l.principleId, (l) => measureFromRow(l.measure));
    return principleIds.map((id) => groups.get(id) ?? []);
  });
  /** Live measures a workstream owns, by name. */
  const byWorkstreamId = new DataLoader<number, Measure[]>(async (workstreamIds) => {
    const links = await prisma.measureWorkstream.findMany({
      where: { workstreamId: { in: [...workstreamIds] }, measure: { archivedAt: null } },
      include: { measure: true },
      orderBy: [{ measure: { name: 'asc' } }, { measureId: 'asc' }],
    });
    const groups = groupBy(links, (l) => l.workstreamId, (l) => measureFromRow(l.measure));
    return workstreamIds.map((id) => groups.get(id) ?? []);
  });
  const principleIdsByMeasure = new DataLoader<number, number[]>(async (ids) => {
    const links = await prisma.measurePrinciple.findMany({ where: { measureId: { in: [...ids] } } });
    const groups = groupBy(links, (l) => l.measureId, (l) => l.principleId);
    return ids.map((id) => groups.get(id) ?? []);
  });
  const workstreamIdsByMeasure = new DataLoader<number, number[]>(async (ids) => {
    const links = await prisma.measureWorkstream.findMany({ where: { measureId: { in: [...ids] } } });
    const groups = groupBy(links, (l) => l.measureId, (l) => l.workstreamId);
    return ids.map((id) => groups.get(id) ?? []);
  });
  const targetsByMeasure = new DataLoader<number, MeasureTarget[]>(async (ids) => {
    const rows = await prisma.measureTarget.findMany({ where: { measureId: { in: [...ids] } }, orderBy: { id: 'asc' } });
    const groups = groupBy(rows, (r) => r.measureId, measureTargetFromRow);
    return ids.map((id) => groups.get(id) ?? []);
  });
  return {
    measureById: byId,
    measureByCode: byCode,
    measuresByPrinciple: byPrincipleId,
    measuresByWorkstream: byWorkstreamId,
    principleIdsByMeasure,
    workstreamIdsByMeasure,
    targetsByMeasure,
  };
}

/** This feature's DataLoaders for the request (made on first use, dropped after a write). */
export const measureLoaders = perRequest((ctx) => buildMeasureLoaders(ctx.prisma));
