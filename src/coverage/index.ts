import type { Feature } from '../server/feature';
import { CoverageResolver } from './coverage.resolver';
import { CoverageCellResolver, CoverageGapsResolver } from './coverage-lists.resolver';

/** The coverage map: which teams each principle's workstreams reach. */
export const coverageFeature: Feature = {
  name: 'coverage',
  resolvers: [CoverageResolver, CoverageCellResolver, CoverageGapsResolver],
  // read from workstreams, their teams and principles, measures and their rollups: all move the board data version
  versionedReads: { queryFields: ['coverage'], types: ['Coverage', 'CoverageRow', 'CoverageCell', 'CoverageGap', 'CoverageGapConnection', 'CoverageGapEdge'] },
};
