import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';
import { AssessmentResolver, ChildAssessmentsResolver } from './assessment.resolver';
import { assessmentRules } from './assessment.permissions';

export const assessmentModule: HavenModule<Services> = {
  resolvers: [AssessmentResolver, ChildAssessmentsResolver],
  instances: (s) => [new AssessmentResolver(s.assessment, s.calendar), new ChildAssessmentsResolver()],
  rules: assessmentRules,
};
