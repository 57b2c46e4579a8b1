import { can, connection, fields } from '../../shared/authz/rules';

export const auditRules = {
  Query: { childAccessLog: can('audit:read') },
  AuditEntry: fields(can('audit:read'), [
    'id', 'at', 'actorId', 'actorRoles', 'action', 'entity', 'entityId', 'fields', 'result', 'breakGlass', 'reason',
  ]),
  ...connection('AuditEntry'),
};
