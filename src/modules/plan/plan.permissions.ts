import { can, canOrAgreed, fields } from '../../shared/authz/rules';

const read = can('child:read');
/** Plan content: provider staff see early help family plans (reached only through their episodes) by agreement. */
const content = canOrAgreed('child:read');

export const planRules = {
  Query: { plan: read },
  Mutation: {
    startPlan: can('plan:write'),
    updatePlan: can('plan:write'),
    reviewPlan: can('plan:write'),
    endPlan: can('plan:write'),
  },
  Child: { plans: read, currentPlan: read },
  Plan: fields(content, [
    'id', 'childId', 'type', 'status', 'startDate', 'endDate', 'endReason', 'contingency', 'familySummary', 'nextReviewDue',
    'initialCategory', 'latestCategory', 'version', 'outcomes', 'actions', 'reviews', 'durationDays', 'over2Years', 'previousCpPlans',
    'repeatWithin2Years', 'reviewStatus',
  ]),
  PlanOutcome: fields(content, ['id', 'position', 'needToChange', 'measure', 'byWhen']),
  PlanAction: fields(content, ['id', 'outcomeId', 'who', 'what', 'byWhen', 'status']),
  PlanReview: fields(content, [
    'id', 'planId', 'heldOn', 'progress', 'decision', 'summary', 'dueBy', 'reviewerId', 'version', 'createdAt', 'onTime', 'reviewer',
  ]),
  OutcomeProgress: fields(content, ['outcomeId', 'rating', 'comment']),
};
