import { can, fields } from '../../shared/authz/rules';

export const familyRules = {
  Query: { family: can('family:read') },
  Mutation: { createFamily: can('family:write'), addFamilyMember: can('family:write') },
  Family: fields(can('family:read'), ['id', 'name', 'address', 'postcode', 'restricted', 'version', 'members']),
  FamilyMember: fields(can('family:read'), [
    'id', 'kind', 'childId', 'firstName', 'lastName', 'dateOfBirth', 'relationship', 'parentalResponsibility', 'child',
  ]),
};
