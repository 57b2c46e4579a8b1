import type { EarlyHelpDeps } from './early-help.deps';

export class EarlyHelpWorkService {
  constructor(readonly deps: EarlyHelpDeps) {}
}
