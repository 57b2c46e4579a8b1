import { can, fields } from '../../shared/authz/rules';

export const restrictionRules = {
  Mutation: { restrictRecord: can('record:restrict'), breakGlass: can('record:breakGlass') },
  Restriction: fields(can('record:restrict'), ['recordType', 'recordId', 'restricted', 'namedAccountIds', 'version']),
  BreakGlassGrant: fields(can('record:breakGlass'), ['childId', 'expiresAt']),
};
