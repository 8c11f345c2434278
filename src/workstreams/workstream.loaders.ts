import DataLoader from 'dataloader';
import type { PrismaClient } from '../generated/prisma/client';
import type { WorkstreamLeadRole } from '../generated/prisma/enums';
import { groupBy } from '../lib/group-by';
import { orgUnitFromRow, type OrgUnit } from '../organisation/org-unit.type';
import { personFromRow, type Person } from '../people/person.type';
import {
  involvementFromRow,
  milestoneFromRow,
  workstreamFromRow,
  type LivedExperienceInvolvement,
  type Milestone,
  type Workstream,
} from './workstream.type';
import { perRequest } from '../graphql/context';

function buildWorkstreamLoaders(prisma: PrismaClient) {
  const byId = new DataLoader<number, Workstream | null>(async (ids) => {
    const rows = await prisma.workstream.findMany({ where: { id: { in: [...ids] } } });
    const map = new Map(rows.map((row) => [row.id, workstreamFromRow(row)]));
    return ids.map((id) => map.get(id) ?? null);
  });
  const byCode = new DataLoader<string, Workstream | null>(async (codes) => {
    const rows = await prisma.workstream.findMany({ where: { code: { in: [...codes] } } });
    const map = new Map(rows.map((row) => [row.code, workstreamFromRow(row)]));
    return codes.map((code) => map.get(code) ?? null);
  });
  /** Live (unarchived) workstreams serving each principle, by name. */
  const byPrincipleId = new DataLoader<number, Workstream[]>(async (principleIds) => {
    const links = await prisma.workstreamPrinciple.findMany({
      where: { principleId: { in: [...principleIds] }, workstream: { archivedAt: null } },
      include: { workstream: true },
      orderBy: [{ workstream: { name: 'asc' } }, { workstreamId: 'asc' }],
    });
    const groups = groupBy(links, (l) => l.principleId, (l) => workstreamFromRow(l.workstream));
    return principleIds.map((id) => groups.get(id) ?? []);
  });
  /** Workstreams a team or ward takes part in. */
  const byTeamId = new DataLoader<number, Workstream[]>(async (orgUnitIds) => {
    const links = await prisma.workstreamTeam.findMany({
      where: { orgUnitId: { in: [...orgUnitIds] }, workstream: { archivedAt: null } },
      include: { workstream: true },
      orderBy: [{ workstream: { name: 'asc' } }, { workstreamId: 'asc' }],
    });
    const groups = groupBy(links, (l) => l.orgUnitId, (l) => workstreamFromRow(l.workstream));
    return orgUnitIds.map((id) => groups.get(id) ?? []);
  });
  const principleIdsByWorkstream = new DataLoader<number, number[]>(async (ids) => {
    const links = await prisma.workstreamPrinciple.findMany({ where: { workstreamId: { in: [...ids] } } });
    const groups = groupBy(links, (l) => l.workstreamId, (l) => l.principleId);
    return ids.map((id) => groups.get(id) ?? []);
  });
  const teamsByWorkstream = new DataLoader<number, OrgUnit[]>(async (ids) => {
    const links = await prisma.workstreamTeam.findMany({
      where: { workstreamId: { in: [...ids] } },
      include: { orgUnit: true },
      orderBy: [{ orgUnit: { name: 'asc' } }, { orgUnitId: 'asc' }],
    });
    const groups = groupBy(links, (l) => l.workstreamId, (l) => orgUnitFromRow(l.orgUnit));
    return ids.map((id) => groups.get(id) ?? []);
  });
  const leadsByWorkstream = new DataLoader<number, Array<{ person: Person; role: WorkstreamLeadRole }>>(async (ids) => {
    const links = await prisma.workstreamLead.findMany({
      where: { workstreamId: { in: [...ids] } },
      include: { person: true },
      orderBy: [{ role: 'asc' }, { personId: 'asc' }],
    });
    const groups = groupBy(links, (l) => l.workstreamId, (l) => ({ person: personFromRow(l.person), role: l.role }));
    return ids.map((id) => groups.get(id) ?? []);
  });
  const milestonesByWorkstream = new DataLoader<number, Milestone[]>(async (ids) => {
    const rows = await prisma.milestone.findMany({
      where: { workstreamId: { in: [...ids] }, archivedAt: null },
      orderBy: [{ dueDate: 'asc' }, { id: 'asc' }],
    });
    const groups = groupBy(rows, (r) => r.workstreamId, milestoneFromRow);
    return ids.map((id) => groups.get(id) ?? []);
  });
  const involvementByWorkstream = new DataLoader<number, LivedExperienceInvolvement[]>(async (ids) => {
    const rows = await prisma.livedExperienceInvolvement.findMany({
      where: { workstreamId: { in: [...ids] }, archivedAt: null },
      orderBy: { id: 'asc' },
    });
    const groups = groupBy(rows, (r) => r.workstreamId, involvementFromRow);
    return ids.map((id) => groups.get(id) ?? []);
  });
  return {
    workstreamById: byId,
    workstreamByCode: byCode,
    workstreamsByPrinciple: byPrincipleId,
    workstreamsByTeam: byTeamId,
    principleIdsByWorkstream,
    teamsByWorkstream,
    leadsByWorkstream,
    milestonesByWorkstream,
    involvementByWorkstream,
  };
}

/** This feature's DataLoaders for the request (made on first use, dropped after a write). */
export const workstreamLoaders = perRequest((ctx) => buildWorkstreamLoaders(ctx.prisma));
