import type { EarlyHelpDeps } from './early-help.deps';

export class StepService {
  constructor(readonly deps: EarlyHelpDeps) {}
}
