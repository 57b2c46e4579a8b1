import { can, fields } from '../../shared/authz/rules';

export const identityRules = {
  Query: { me: can('me:read') },
  Me: fields(can('me:read'), ['id', 'email', 'displayName', 'roles', 'permissions', 'teamId', 'providerId', 'newlyQualified', 'team']),
};
