import { can, fields, viaParent } from '../../shared/authz/rules';

const census = can('return:cinCensus');

export const cinCensusRules = {
  Query: { cinCensus: census },
  CinCensus: fields(census, ['year', 'referenceDate', 'children', 'xml', 'issues', 'errorCount', 'queryCount', 'downloadPath']),
  // Issues reach the client only inside a guarded parent (the census, or a child's record): one rule there, not per issue.
  CensusIssue: fields(viaParent, ['rule', 'severity', 'childId', 'laChildId', 'field', 'recordId', 'message']),
};
