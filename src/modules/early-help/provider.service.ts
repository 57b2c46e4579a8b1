import type { EarlyHelpDeps } from './early-help.deps';

export class ProviderService {
  constructor(readonly deps: EarlyHelpDeps) {}
}
