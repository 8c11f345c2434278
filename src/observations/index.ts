import { MAX_ID } from '../graphql/global-id';
import { fetchRowsByIds } from '../graphql/node-types';
import type { Feature } from '../server/feature';
import { ObservationResolver } from './observation.resolver';
import { readableObservations } from './observation-access';
import { OBSERVATION_TYPENAME, observationFromRow } from './observation.type';

/** Observations: the components per measure × org unit × period, imported in bulk. */
export const observationsFeature: Feature = {
  name: 'observations',
  resolvers: [ObservationResolver],
  nodeTypes: [
    {
      typeName: OBSERVATION_TYPENAME,
      fetch: fetchRowsByIds(
        async (ctx, ids) => readableObservations(ctx, await ctx.prisma.observation.findMany({ where: { id: { in: ids.map(BigInt) } } })),
        observationFromRow,
      ),
      maxId: MAX_ID, // a bigint id
    },
  ],
};
