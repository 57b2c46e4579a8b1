import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';
import { AnnexAResolver } from './annex-a.resolver';
import { annexARules } from './annex-a.permissions';

export const annexAModule: HavenModule<Services> = {
  resolvers: [AnnexAResolver],
  instances: (s) => [new AnnexAResolver(s.annexA)],
  rules: annexARules,
};
