import { can, fields } from '../../shared/authz/rules';

const read = can('child:read');

export const planRules = {
  Query: { plan: read },
  Mutation: {
    startPlan: can('plan:write'),
    updatePlan: can('plan:write'),
    reviewPlan: can('plan:write'),
    endPlan: can('plan:write'),
  },
  Child: { plans: read },
  Plan: fields(read, [
    'id', 'childId', 'type', 'status', 'startDate', 'endDate', 'endReason', 'contingency', 'familySummary', 'nextReviewDue',
    'initialCategory', 'latestCategory', 'version', 'outcomes', 'actions', 'reviews', 'durationDays', 'over2Years', 'previousCpPlans',
    'repeatWithin2Years', 'reviewStatus',
  ]),
  PlanOutcome: fields(read, ['id', 'position', 'needToChange', 'measure', 'byWhen']),
  PlanAction: fields(read, ['id', 'outcomeId', 'who', 'what', 'byWhen', 'status']),
  PlanReview: fields(read, [
    'id', 'planId', 'heldOn', 'progress', 'decision', 'summary', 'dueBy', 'reviewerId', 'version', 'createdAt', 'onTime', 'reviewer',
  ]),
  OutcomeProgress: fields(read, ['outcomeId', 'rating', 'comment']),
};
