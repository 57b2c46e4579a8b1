import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';
import { ChildPlansResolver, PlanResolver, PlanReviewResolver } from './plan.resolver';
import { planRules } from './plan.permissions';

export const planModule: HavenModule<Services> = {
  resolvers: [PlanResolver, PlanReviewResolver, ChildPlansResolver],
  instances: (s) => [new PlanResolver(s.plan, s.calendar), new PlanReviewResolver(), new ChildPlansResolver()],
  rules: planRules,
};
