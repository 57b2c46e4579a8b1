import { can, canAny, canOrAgreed, fields } from '../../shared/authz/rules';

export const familyRules = {
  Query: { family: canAny('family:read', 'earlyhelp:shared') },
  Mutation: { createFamily: can('family:write'), addFamilyMember: can('family:write') },
  Family: fields(canOrAgreed('family:read'), ['id', 'name', 'address', 'postcode', 'restricted', 'version', 'members']),
  FamilyMember: fields(canOrAgreed('family:read'), [
    'id', 'kind', 'childId', 'firstName', 'lastName', 'dateOfBirth', 'relationship', 'parentalResponsibility', 'child',
  ]),
};
