import type { Feature } from '../server/feature';
import { fhirRouter } from './fhir/fhir.router';
import { INTEGRATION_CLIENT_NODE, IntegrationClientResolver } from './integration-client.resolver';

/** Integration clients (who may send what) and FHIR R4 over HTTP. */
export const integrationsFeature: Feature = {
  name: 'integrations',
  resolvers: [IntegrationClientResolver],
  nodeTypes: [INTEGRATION_CLIENT_NODE],
  routes: [{ path: '/fhir', router: fhirRouter }],
};
