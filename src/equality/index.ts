import type { Feature } from '../server/feature';
import { EqualityResolver } from './equality.resolver';

/** The equality lens (PCREF): measures split by ethnicity, sex, age band and legal status, with disparity ratios. */
export const equalityFeature: Feature = { name: 'equality', resolvers: [EqualityResolver] };
