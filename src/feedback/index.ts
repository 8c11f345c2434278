import { fetchFromLoader } from '../graphql/node-types';
import type { Feature } from '../server/feature';
import { feedbackLoaders } from './feedback.loaders';
import { FeedbackActionResolver, FeedbackMutationResolver, FeedbackOverviewResolver, FeedbackResolver, OrgUnitFeedbackResolver } from './feedback.resolver';
import { CORE_ITEM_22_ASSESSMENT_TYPENAME, FEEDBACK_ACTION_TYPENAME, FEEDBACK_THEME_TYPENAME, FEEDBACK_TYPENAME } from './feedback.type';
import { youSaidWeDidRouter } from './you-said-we-did.router';

/** "You said, we did": feedback, the actions taken on it, its publication, and CORE item 22 from evidence. */
export const feedbackFeature: Feature = {
  name: 'feedback',
  resolvers: [FeedbackResolver, FeedbackOverviewResolver, FeedbackActionResolver, OrgUnitFeedbackResolver, FeedbackMutationResolver],
  nodeTypes: [
    { typeName: FEEDBACK_THEME_TYPENAME, fetch: fetchFromLoader((ctx) => feedbackLoaders(ctx).themeById) },
    { typeName: FEEDBACK_TYPENAME, fetch: fetchFromLoader((ctx) => feedbackLoaders(ctx).feedbackById) },
    { typeName: FEEDBACK_ACTION_TYPENAME, fetch: fetchFromLoader((ctx) => feedbackLoaders(ctx).actionById) },
    { typeName: CORE_ITEM_22_ASSESSMENT_TYPENAME, fetch: fetchFromLoader((ctx) => feedbackLoaders(ctx).assessmentById) },
  ],
  routes: [{ path: '/you-said-we-did', router: youSaidWeDidRouter }],
  // an org unit's CORE item 22: core_item22_assessment and feedback move the board data version
  versionedReads: { types: ['CoreItem22Score', 'CoreItem22CriterionResult', 'CoreFidelityAssessment', 'CoreFidelityAssessmentConnection', 'CoreFidelityAssessmentEdge'] },
};
