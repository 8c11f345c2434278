import { fetchFromLoader, fetchRowsByIds } from '../graphql/node-types';
import type { Feature } from '../server/feature';
import { measureLoaders } from './measure.loaders';
import { MeasureResolver, MeasureTargetResolver, PrincipleMeasuresResolver, WorkstreamMeasuresResolver } from './measure.resolver';
import { MEASURE_TARGET_TYPENAME, MEASURE_TYPENAME, measureTargetFromRow } from './measure.type';

/** Measure definitions, their principles, workstreams and targets. */
export const measuresFeature: Feature = {
  name: 'measures',
  resolvers: [MeasureResolver, MeasureTargetResolver, PrincipleMeasuresResolver, WorkstreamMeasuresResolver],
  nodeTypes: [
    { typeName: MEASURE_TYPENAME, fetch: fetchFromLoader((ctx) => measureLoaders(ctx).measureById) },
    { typeName: MEASURE_TARGET_TYPENAME, fetch: fetchRowsByIds((ctx, ids) => ctx.prisma.measureTarget.findMany({ where: { id: { in: ids } } }), measureTargetFromRow) },
  ],
};
