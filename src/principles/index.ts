import { fetchFromLoader } from '../graphql/node-types';
import type { Feature } from '../server/feature';
import { principleLoaders } from './principle.loaders';
import { PrincipleResolver } from './principle.resolver';
import { PRINCIPLE_TYPENAME } from './principle.type';

/** The 4Rs. */
export const principlesFeature: Feature = {
  name: 'principles',
  resolvers: [PrincipleResolver],
  // principle moves the board data version (the faculty map's root)
  versionedReads: { queryFields: ['principle', 'principles'], types: ['Principle'] },
  nodeTypes: [{ typeName: PRINCIPLE_TYPENAME, fetch: fetchFromLoader((ctx) => principleLoaders(ctx).principleById) }],
};
