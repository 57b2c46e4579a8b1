/** The plan module's public surface. */
export { PlanService } from './plan.service';
export type { ReviewInTx, StartInTx } from './plan.service';
export { PlanError } from './plan.errors';
export { contentProblems, eventDateProblems } from './plan.rules';
export { CategoryOfAbuse, OutcomeProgressInput, PlanContentInput, PlanRecordType } from './plan.types';
