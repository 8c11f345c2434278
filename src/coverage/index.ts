import type { Feature } from '../server/feature';
import { CoverageResolver } from './coverage.resolver';
import { CoverageCellResolver, CoverageGapsResolver } from './coverage-lists.resolver';
import { mapResponseCachePlugin } from './map-response-cache';

/** The coverage map: which teams each principle's workstreams reach; the faculty map's response cache. */
export const coverageFeature: Feature = { name: 'coverage', resolvers: [CoverageResolver, CoverageCellResolver, CoverageGapsResolver], graphqlPlugins: [mapResponseCachePlugin] };
