import { fetchFromLoader, fetchRowsByIds } from '../graphql/node-types';
import type { Feature } from '../server/feature';
import { workstreamLoaders } from './workstream.loaders';
import { OrgUnitWorkstreamsResolver, PrincipleWorkstreamsResolver, WorkstreamMutationResolver, WorkstreamResolver } from './workstream.resolver';
import { INVOLVEMENT_TYPENAME, involvementFromRow, MILESTONE_TYPENAME, milestoneFromRow, WORKSTREAM_TYPENAME } from './workstream.type';

/** Workstreams with their leads, teams, milestones and lived-experience involvement. */
export const workstreamsFeature: Feature = {
  name: 'workstreams',
  resolvers: [WorkstreamResolver, PrincipleWorkstreamsResolver, OrgUnitWorkstreamsResolver, WorkstreamMutationResolver],
  nodeTypes: [
    { typeName: WORKSTREAM_TYPENAME, fetch: fetchFromLoader((ctx) => workstreamLoaders(ctx).workstreamById) },
    { typeName: MILESTONE_TYPENAME, fetch: fetchRowsByIds((ctx, ids) => ctx.prisma.milestone.findMany({ where: { id: { in: ids } } }), milestoneFromRow) },
    {
      typeName: INVOLVEMENT_TYPENAME,
      fetch: fetchRowsByIds((ctx, ids) => ctx.prisma.livedExperienceInvolvement.findMany({ where: { id: { in: ids } } }), involvementFromRow),
    },
  ],
};
