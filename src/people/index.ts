import { fetchFromLoader } from '../graphql/node-types';
import type { Feature } from '../server/feature';
import { personLoaders } from './person.loaders';
import { PersonResolver } from './person.resolver';
import { PERSON_TYPENAME } from './person.type';

/** People: workstream leads, measure owners. */
export const peopleFeature: Feature = {
  name: 'people',
  resolvers: [PersonResolver],
  // person moves the board data version
  versionedReads: { queryFields: ['people'], types: ['Person', 'PersonConnection', 'PersonEdge'] },
  nodeTypes: [{ typeName: PERSON_TYPENAME, fetch: fetchFromLoader((ctx) => personLoaders(ctx).personById) }],
};
