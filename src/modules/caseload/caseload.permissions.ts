import { can, connection, fields } from '../../shared/authz/rules';

export const caseloadRules = {
  Query: { myCaseload: can('caseload:mine'), teamCaseload: can('caseload:team') },
  CaseloadItem: fields(can('caseload:mine'), ['childId', 'allocation', 'earlyHelpEpisode', 'nextDueOn', 'child', 'due']),
  DueItem: fields(can('caseload:mine'), ['kind', 'recordId', 'dueOn', 'status', 'workingDaysOverdue']),
  ...connection('CaseloadItem'),
};
