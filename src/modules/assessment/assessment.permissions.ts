import { can, fields } from '../../shared/authz/rules';

export const assessmentRules = {
  Query: { assessment: can('child:read') },
  Mutation: {
    startAssessment: can('assessment:write'),
    completeAssessment: can('assessment:write'),
    authoriseAssessment: can('assessment:authorise'),
  },
  Child: { assessments: can('child:read') },
  Assessment: fields(can('child:read'), [
    'id', 'childId', 'episodeId', 'status', 'startDate', 'dueDate', 'completedDate', 'authorisedDate', 'factors', 'risks',
    'strengths', 'protectiveFactors', 'childsViews', 'analysis', 'outcome', 'lateReason', 'version', 'dueStatus', 'completedLate',
    'workingDaysTaken', 'authorisedBy',
  ]),
};
