import { can, connection, fields } from '../../shared/authz/rules';

const CHILD_FIELDS = [
  'id', 'laChildId', 'firstName', 'lastName', 'dateOfBirth', 'expectedDateOfBirth', 'sex', 'ethnicity', 'disabilities', 'nhsNumber',
  'upn', 'upnUnknownReason', 'restricted', 'version', 'createdAt', 'updatedAt',
];

export const childRules = {
  Query: { child: can('child:read'), children: can('child:search') },
  Mutation: { createChild: can('child:create'), updateChild: can('child:update') },
  Child: {
    ...fields(can('child:read'), CHILD_FIELDS),
    families: can('family:read'),
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
