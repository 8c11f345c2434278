import type { Feature } from '../server/feature';
import { CoverageResolver } from './coverage.resolver';

/** The coverage map: which teams each principle's workstreams reach. */
export const coverageFeature: Feature = { name: 'coverage', resolvers: [CoverageResolver] };
