import { fetchFromLoader } from '../graphql/node-types';
import type { Feature } from '../server/feature';
import { orgUnitLoaders } from './org-unit.loaders';
import { OrgUnitResolver } from './org-unit.resolver';
import { ORG_UNIT_TYPENAME } from './org-unit.type';

/** The trusts' trees of org units. */
export const organisationFeature: Feature = {
  name: 'organisation',
  resolvers: [OrgUnitResolver],
  // org_unit moves the board data version
  versionedReads: { queryFields: ['orgUnit', 'orgUnits'], types: ['OrgUnit', 'OrgUnitConnection', 'OrgUnitEdge'] },
  nodeTypes: [{ typeName: ORG_UNIT_TYPENAME, fetch: fetchFromLoader((ctx) => orgUnitLoaders(ctx).orgUnitById) }],
};
