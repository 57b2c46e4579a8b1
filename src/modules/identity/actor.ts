import { CaseScope, caseScopeOf, Permission, ROLE_PERMISSIONS } from './permissions';
import { RoleCode } from './roles';

/** The person (or provider system) behind a request, looked up per request so a disabled account stops at once. */
export interface Actor {
  id: string;
  email: string;
  displayName: string;
  roles: RoleCode[];
  teamId: string | null;
  providerId: string | null;
  newlyQualified: boolean;
  permissions: ReadonlySet<Permission>;
  scope: CaseScope;
  requestId: string;
}

export interface AccountRow {
  id: string;
  email: string;
  displayName: string;
  teamId: string | null;
  providerId: string | null;
  newlyQualified: boolean;
  roles: RoleCode[];
}

export function actorFromAccount(row: AccountRow, requestId: string): Actor {
  const permissions = new Set<Permission>(row.roles.flatMap((r) => ROLE_PERMISSIONS[r] ?? []));
  return { ...row, permissions, scope: caseScopeOf(row.roles), requestId };
}
