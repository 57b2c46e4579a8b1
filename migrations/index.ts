import { CreateFoundation1764136800000 } from './1764136800000-create-foundation';
import { AddSearchAuditGuardReferenceData1764136900000 } from './1764136900000-add-search-audit-guard-reference-data';
import { IndexExpectedBirthGuardAuditTruncate1764223200000 } from './1764223200000-index-expected-birth-guard-audit-truncate';
import { AddStatutoryCasework1764309600000 } from './1764309600000-add-statutory-casework';
import { AddDueItemsAndChronologyViews1764313200000 } from './1764313200000-add-due-items-and-chronology-views';
import { OneActivePlanPerType1764316800000 } from './1764316800000-one-active-plan-per-type';
import { OneVisitDueItemPerChild1764320400000 } from './1764320400000-one-visit-due-item-per-child';
import { AddEarlyHelp1764400000000 } from './1764400000000-add-early-help';
import { EarlyHelpDueItemsAndChronology1764403600000 } from './1764403600000-early-help-due-items-and-chronology';
import { IndexRestrictedRecords1764407200000 } from './1764407200000-index-restricted-records';
import { AddReportingAndCensusItems1764410800000 } from './1764410800000-add-reporting-and-census-items';

/** Every migration, in order. Listed explicitly so ts-node, jest and the compiled build all load the same set. */
export const migrations: Function[] = [
  CreateFoundation1764136800000,
  AddSearchAuditGuardReferenceData1764136900000,
  IndexExpectedBirthGuardAuditTruncate1764223200000,
  AddStatutoryCasework1764309600000,
  AddDueItemsAndChronologyViews1764313200000,
  OneActivePlanPerType1764316800000,
  OneVisitDueItemPerChild1764320400000,
  AddEarlyHelp1764400000000,
  EarlyHelpDueItemsAndChronology1764403600000,
  IndexRestrictedRecords1764407200000,
  AddReportingAndCensusItems1764410800000,
];
