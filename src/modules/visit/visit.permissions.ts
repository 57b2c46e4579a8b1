import { can, fields } from '../../shared/authz/rules';

export const visitRules = {
  Mutation: { recordVisit: can('visit:record') },
  Child: { visits: can('child:read'), latestVisit: can('child:read'), visitStatus: can('child:read') },
  Visit: fields(can('child:read'), [
    'id', 'childId', 'planId', 'visitedOn', 'type', 'seen', 'seenAlone', 'present', 'note', 'version', 'createdAt', 'recordedBy',
  ]),
  VisitStatus: fields(can('child:read'), ['requiredEveryWorkingDays', 'lastSeenOn', 'nextDueOn', 'status', 'planType']),
};
