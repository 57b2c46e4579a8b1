import { can, fields } from '../../shared/authz/rules';

const STATUS_FIELDS = ['everyWorkingDays', 'lastHeldOn', 'nextDueOn', 'status', 'newlyQualified'];

export const supervisionRules = {
  Query: { mySupervision: can('supervision:mine'), teamSupervision: can('supervision:record') },
  Mutation: { recordSupervision: can('supervision:record'), recordManagementDecision: can('decision:record') },
  Child: { supervisionEntries: can('child:read'), managementDecisions: can('child:read') },
  Supervision: fields(can('supervision:record'), [
    'id', 'heldOn', 'generalNotes', 'cases', 'version', 'createdAt', 'supervisor', 'supervisee',
  ]),
  SupervisionEntry: fields(can('child:read'), [
    'id', 'supervisionId', 'childId', 'heldOn', 'reflection', 'decisions', 'actions', 'version', 'createdAt', 'supervisor', 'supervisee',
  ]),
  SupervisionAction: fields(can('child:read'), ['owner', 'action', 'byWhen']),
  SupervisionStatus: fields(can('supervision:mine'), STATUS_FIELDS),
  WorkerSupervisionStatus: fields(can('supervision:record'), [...STATUS_FIELDS, 'worker']),
  ManagementDecision: fields(can('child:read'), [
    'id', 'childId', 'decidedOn', 'decision', 'rationale', 'version', 'createdAt', 'decidedBy',
  ]),
};
