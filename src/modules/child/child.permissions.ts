import { can, canAny, canOrAgreed, connection, fields } from '../../shared/authz/rules';

const CHILD_FIELDS = [
  'id', 'laChildId', 'firstName', 'lastName', 'dateOfBirth', 'expectedDateOfBirth', 'sex', 'ethnicity', 'disabilities', 'nhsNumber',
  'upn', 'upnUnknownReason', 'formerUpn', 'dateOfDeath', 'restricted', 'version', 'createdAt', 'updatedAt',
];

export const childRules = {
  Query: { child: canAny('child:read', 'earlyhelp:shared'), children: can('child:search') },
  Mutation: { createChild: can('child:create'), updateChild: can('child:update') },
  Child: {
    // Provider staff: only the fields their data sharing agreement names (canOrAgreed).
    ...fields(canOrAgreed('child:read'), CHILD_FIELDS),
    families: canOrAgreed('family:read'),
    referrals: can('referral:read'),
    contacts: can('referral:read'),
    currentAllocation: can('child:read'),
    allocationHistory: can('child:read'),
  },
  ChildSummary: fields(can('child:search'), [
    'id', 'laChildId', 'firstName', 'lastName', 'dateOfBirth', 'expectedDateOfBirth', 'nhsNumber', 'upn', 'allocatedTeam', 'inScope',
    'score',
  ]),
  TeamSummary: fields(can('child:search'), ['id', 'name']),
  CreateChildPayload: fields(can('child:create'), ['child', 'possibleDuplicates']),
  ...connection('ChildSummary'),
};
