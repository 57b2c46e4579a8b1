import { can, canOrAgreed, fields } from '../../shared/authz/rules';

export const frontDoorRules = {
  Query: { referral: can('referral:read') },
  Mutation: {
    recordContact: can('contact:record'),
    createReferral: can('referral:create'),
    decideReferral: can('referral:decide'),
    allocateCase: can('case:allocate'),
  },
  Contact: fields(can('referral:read'), ['id', 'childId', 'receivedAt', 'sourceCode', 'summary', 'outcome', 'version']),
  Referral: fields(can('referral:read'), [
    'id', 'childId', 'contactId', 'receivedAt', 'referralDate', 'sourceCode', 'primaryNeedCode', 'reason', 'decisionDueOn', 'decision',
    'decisionReason', 'decidedAt', 'decidedBy', 'decisionTimeliness', 'version', 'child',
  ]),
  Allocation: fields(can('child:read'), ['id', 'childId', 'teamId', 'workerId', 'startedAt', 'endedAt', 'reason', 'version', 'team', 'worker']),
  Team: fields(can('me:read'), ['id', 'name', 'kind']),
  Worker: fields(canOrAgreed('child:read'), ['id', 'displayName', 'teamId']),
};
