import { fetchRowsByIds } from '../graphql/node-types';
import type { Feature } from '../server/feature';
import { boardResponseCachePlugin } from './board-response-cache';
import { versionedReadCachePlugin } from './versioned-read-cache';
import { BoardResolver, MeasureSeriesResolver, ScorecardResolver } from './board.resolver';
import { EqualityResolver } from './equality.resolver';
import { COMMENTARY_TYPENAME, commentaryFromRow, SPC_PHASE_TYPENAME, spcPhaseFromRow } from './board.type';

/** Board views: series with SPC, scorecard, drill-down, exceptions, the equality lens; baselines and commentary. */
export const boardFeature: Feature = {
  name: 'board',
  resolvers: [MeasureSeriesResolver, BoardResolver, ScorecardResolver, EqualityResolver],
  nodeTypes: [
    { typeName: SPC_PHASE_TYPENAME, fetch: fetchRowsByIds((ctx, ids) => ctx.prisma.spcPhase.findMany({ where: { id: { in: ids } } }), spcPhaseFromRow) },
    { typeName: COMMENTARY_TYPENAME, fetch: fetchRowsByIds((ctx, ids) => ctx.prisma.commentary.findMany({ where: { id: { in: ids } } }), commentaryFromRow) },
  ],
  // Board screens first (keyed on disclosure alone), then any other read of only versioned fields.
  graphqlPlugins: [boardResponseCachePlugin, versionedReadCachePlugin],
  // series, baselines, commentary and the equality lens read rollups, observations' strata,
  // targets, phases and commentary: all move the board data version
  versionedReads: {
    types: ['MeasureSeries', 'SeriesPoint', 'YearToDate', 'SpcPhase', 'Commentary', 'CommentaryConnection', 'CommentaryEdge', 'EqualityView', 'EqualityWhole', 'EqualityStratum', 'StratumSeries', 'DisparityRatio', 'RatioPoint', 'EqualityReference', 'EqualityDrillDown', 'EqualityDrillDownRow'],
  },
};
