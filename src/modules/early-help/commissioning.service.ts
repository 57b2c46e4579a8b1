import type { EarlyHelpDeps } from './early-help.deps';

export class CommissioningService {
  constructor(readonly deps: EarlyHelpDeps) {}
}
