import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';
import { CaseloadResolver } from './caseload.resolver';
import { caseloadRules } from './caseload.permissions';

export const caseloadModule: HavenModule<Services> = {
  resolvers: [CaseloadResolver],
  instances: (s) => [new CaseloadResolver(s.caseload, s.calendar)],
  rules: caseloadRules,
};
