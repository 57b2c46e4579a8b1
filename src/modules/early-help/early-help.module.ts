import type { HavenModule } from '../../shared/module';
import type { Services } from '../../app';
import { EarlyHelpEpisodeResolver } from './early-help.resolver';
import { earlyHelpRules } from './early-help.permissions';
import { providerArea } from './provider.module';
import { commissioningArea } from './commissioning.module';
import { workArea } from './work.module';
import { stepArea } from './step.module';

const core: HavenModule<Services> = {
  resolvers: [EarlyHelpEpisodeResolver],
  instances: () => [new EarlyHelpEpisodeResolver()],
  rules: earlyHelpRules,
};

/** Early help and the commissioned provider: the episode, providers, commissioning, the work, step-up and step-down. */
export const earlyHelpModules: HavenModule<Services>[] = [core, providerArea, commissioningArea, workArea, stepArea];
