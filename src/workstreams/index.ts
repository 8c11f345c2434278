import { fetchFromLoader, fetchRowsByIds } from '../graphql/node-types';
import type { Feature } from '../server/feature';
import { workstreamLoaders } from './workstream.loaders';
import { OrgUnitWorkstreamsResolver, PrincipleWorkstreamsResolver, WorkstreamMutationResolver, WorkstreamResolver } from './workstream.resolver';
import { INVOLVEMENT_TYPENAME, involvementFromRow, MILESTONE_TYPENAME, milestoneFromRow, WORKSTREAM_TYPENAME } from './workstream.type';

/** Workstreams with their leads, teams, milestones and lived-experience involvement. */
export const workstreamsFeature: Feature = {
  name: 'workstreams',
  resolvers: [WorkstreamResolver, PrincipleWorkstreamsResolver, OrgUnitWorkstreamsResolver, WorkstreamMutationResolver],
  // workstream and its leads, principles, teams, milestones and involvement all move the board data version
  versionedReads: {
    queryFields: ['workstream', 'workstreams'],
    types: ['Workstream', 'WorkstreamConnection', 'WorkstreamEdge', 'WorkstreamLead', 'WorkstreamLeadConnection', 'WorkstreamLeadEdge', 'Milestone', 'MilestoneConnection', 'MilestoneEdge', 'LivedExperienceInvolvement', 'LivedExperienceInvolvementConnection', 'LivedExperienceInvolvementEdge'],
  },
  nodeTypes: [
    { typeName: WORKSTREAM_TYPENAME, fetch: fetchFromLoader((ctx) => workstreamLoaders(ctx).workstreamById) },
    { typeName: MILESTONE_TYPENAME, fetch: fetchRowsByIds((ctx, ids) => ctx.prisma.milestone.findMany({ where: { id: { in: ids } } }), milestoneFromRow) },
    {
      typeName: INVOLVEMENT_TYPENAME,
      fetch: fetchRowsByIds((ctx, ids) => ctx.prisma.livedExperienceInvolvement.findMany({ where: { id: { in: ids } } }), involvementFromRow),
    },
  ],
};
