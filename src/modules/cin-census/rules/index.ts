import type { WorkingCalendar } from '../../../shared/clock/calendar';
import type { CensusChild, CensusIssue, CensusPeriod } from '../census.model';
import { CensusValidator, checkChild } from './census-rules';
import { ruleContext } from './context';

/**
 * Haven's implementation of the DfE CIN census validation rules 2025-26 (README.md lists what is implemented, the
 * conventions, and the rules that cannot fail on Haven's data).
 */
export { RULES, NOT_IMPLEMENTABLE } from './catalogue';
export type { RuleDefinition } from './catalogue';
export { CHILD_RULES } from './child-rules';
export { CENSUS_RULE_CODES, CensusValidator } from './census-rules';
export { censusPeriod, censusYearOf, ruleContext } from './context';
export type { RuleContext } from './context';

/** The child-level rules for one child (no LA-wide rule): what a worker sees on the child's record. */
export function validateChild(child: CensusChild, period: CensusPeriod, calendar: WorkingCalendar): CensusIssue[] {
  return checkChild(child, ruleContext(period, calendar));
}

/** Every rule over a whole return held in memory; for a streamed return use `new CensusValidator(...)` batch by batch. */
export function validateCensus(children: CensusChild[], period: CensusPeriod, calendar: WorkingCalendar): CensusIssue[] {
  const validator = new CensusValidator(period, calendar);
  return [...validator.add(children), ...validator.finish()];
}
