import { auditFeature } from '../audit';
import { authFeature } from '../auth';
import { boardFeature } from '../board';
import { boardPackFeature } from '../board-pack';
import { coverageFeature } from '../coverage';
import { feedbackFeature } from '../feedback';
import { integrationsFeature } from '../integrations';
import { measuresFeature } from '../measures';
import { observationsFeature } from '../observations';
import { organisationFeature } from '../organisation';
import { peopleFeature } from '../people';
import { principlesFeature } from '../principles';
import type { Feature } from '../server/feature';
import { workstreamsFeature } from '../workstreams';

/** Every feature of the application. A new feature is its folder and one line here. */
export const FEATURES: readonly Feature[] = [
  authFeature,
  principlesFeature,
  organisationFeature,
  peopleFeature,
  workstreamsFeature,
  measuresFeature,
  observationsFeature,
  integrationsFeature,
  boardFeature,
  boardPackFeature,
  auditFeature,
  coverageFeature,
  feedbackFeature,
];
