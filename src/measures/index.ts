import { fetchFromLoader, fetchRowsByIds } from '../graphql/node-types';
import type { Feature } from '../server/feature';
import { measureLoaders } from './measure.loaders';
import { MeasureResolver, MeasureTargetResolver, PrincipleMeasuresResolver, WorkstreamMeasuresResolver } from './measure.resolver';
import { MEASURE_TARGET_TYPENAME, MEASURE_TYPENAME, measureTargetFromRow } from './measure.type';

/** Measure definitions, their principles, workstreams and targets. */
export const measuresFeature: Feature = {
  name: 'measures',
  resolvers: [MeasureResolver, MeasureTargetResolver, PrincipleMeasuresResolver, WorkstreamMeasuresResolver],
  // measure, measure_target, measure_principle, measure_workstream: all move the board data version
  versionedReads: { queryFields: ['measure', 'measures'], types: ['Measure', 'MeasureConnection', 'MeasureEdge', 'MeasureTarget', 'MeasureTargetConnection', 'MeasureTargetEdge', 'MeasureDisclosure'] },
  nodeTypes: [
    { typeName: MEASURE_TYPENAME, fetch: fetchFromLoader((ctx) => measureLoaders(ctx).measureById) },
    { typeName: MEASURE_TARGET_TYPENAME, fetch: fetchRowsByIds((ctx, ids) => ctx.prisma.measureTarget.findMany({ where: { id: { in: ids } } }), measureTargetFromRow) },
  ],
};
