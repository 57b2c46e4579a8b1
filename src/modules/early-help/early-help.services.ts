import type { EarlyHelpDeps } from './early-help.deps';
import { ProviderService } from './provider.service';
import { CommissioningService } from './commissioning.service';
import { EarlyHelpWorkService } from './work.service';
import { StepService } from './step.service';

export function createEarlyHelpServices(deps: EarlyHelpDeps) {
  return {
    providers: new ProviderService(deps),
    commissioning: new CommissioningService(deps),
    work: new EarlyHelpWorkService(deps),
    step: new StepService(deps),
  };
}
