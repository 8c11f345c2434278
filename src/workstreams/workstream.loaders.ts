import type { PrismaClient } from '../generated/prisma/client';
import { perRequest } from '../graphql/context';
import { loaderByKey, loaderOfLists } from '../graphql/loaders';
import { orgUnitFromRow } from '../organisation/org-unit.type';
import { personFromRow } from '../people/person.type';
import { involvementFromRow, milestoneFromRow, workstreamFromRow } from './workstream.type';

/** Links listed by their workstream's name, then creation order. */
const BY_WORKSTREAM_NAME = [{ workstream: { name: 'asc' as const } }, { workstreamId: 'asc' as const }];

function buildWorkstreamLoaders(prisma: PrismaClient) {
  return {
    workstreamById: loaderByKey((ids: number[]) => prisma.workstream.findMany({ where: { id: { in: ids } } }), (row) => row.id, workstreamFromRow),
    workstreamByCode: loaderByKey((codes: string[]) => prisma.workstream.findMany({ where: { code: { in: codes } } }), (row) => row.code, workstreamFromRow),
    /** Live (unarchived) workstreams serving each principle, by name. */
    workstreamsByPrinciple: loaderOfLists(
      (principleIds: number[]) =>
        prisma.workstreamPrinciple.findMany({ where: { principleId: { in: principleIds }, workstream: { archivedAt: null } }, include: { workstream: true }, orderBy: BY_WORKSTREAM_NAME }),
      (link) => link.principleId,
      (link) => workstreamFromRow(link.workstream),
    ),
    /** Workstreams a team or ward takes part in. */
    workstreamsByTeam: loaderOfLists(
      (orgUnitIds: number[]) =>
        prisma.workstreamTeam.findMany({ where: { orgUnitId: { in: orgUnitIds }, workstream: { archivedAt: null } }, include: { workstream: true }, orderBy: BY_WORKSTREAM_NAME }),
      (link) => link.orgUnitId,
      (link) => workstreamFromRow(link.workstream),
    ),
    principleIdsByWorkstream: loaderOfLists(
      (ids: number[]) => prisma.workstreamPrinciple.findMany({ where: { workstreamId: { in: ids } } }),
      (link) => link.workstreamId,
      (link) => link.principleId,
    ),
    teamsByWorkstream: loaderOfLists(
      (ids: number[]) =>
        prisma.workstreamTeam.findMany({ where: { workstreamId: { in: ids } }, include: { orgUnit: true }, orderBy: [{ orgUnit: { name: 'asc' } }, { orgUnitId: 'asc' }] }),
      (link) => link.workstreamId,
      (link) => orgUnitFromRow(link.orgUnit),
    ),
    leadsByWorkstream: loaderOfLists(
      (ids: number[]) => prisma.workstreamLead.findMany({ where: { workstreamId: { in: ids } }, include: { person: true }, orderBy: [{ role: 'asc' }, { personId: 'asc' }] }),
      (link) => link.workstreamId,
      (link) => ({ person: personFromRow(link.person), role: link.role }),
    ),
    milestonesByWorkstream: loaderOfLists(
      (ids: number[]) => prisma.milestone.findMany({ where: { workstreamId: { in: ids }, archivedAt: null }, orderBy: [{ dueDate: 'asc' }, { id: 'asc' }] }),
      (row) => row.workstreamId,
      milestoneFromRow,
    ),
    involvementByWorkstream: loaderOfLists(
      (ids: number[]) => prisma.livedExperienceInvolvement.findMany({ where: { workstreamId: { in: ids }, archivedAt: null }, orderBy: { id: 'asc' } }),
      (row) => row.workstreamId,
      involvementFromRow,
    ),
  };
}

/** This feature's DataLoaders for the request (made on first use, dropped after a write). */
export const workstreamLoaders = perRequest((ctx) => buildWorkstreamLoaders(ctx.prisma));
