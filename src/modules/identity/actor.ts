import { TeamKind } from './identity.entity';
import { CaseScope, caseScopeOf, EARLY_HELP_SERVICE, Permission, ROLE_PERMISSIONS } from './permissions';
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
  /** Provider staff: their organisation's data sharing agreement in force (null: none, so nothing is shared). */
  agreement: SharingAgreement | null;
  requestId: string;
}

/** What a provider's staff may see (`Type.field`) and submit (mutation names), from its data sharing agreement. */
export interface SharingAgreement {
  visible: ReadonlySet<string>;
  submissions: ReadonlySet<string>;
}

export interface AccountRow {
  id: string;
  email: string;
  displayName: string;
  teamId: string | null;
  /** The kind of the account's team (null: no team). */
  teamKind: TeamKind | null;
  providerId: string | null;
  newlyQualified: boolean;
  roles: RoleCode[];
  /** The provider's agreement in force, when the account belongs to a provider. */
  visibleFields?: string[] | null;
  submissions?: string[] | null;
}

/** The actor's permissions are its roles'; a team manager of an early help team also manages all early help. */
export function actorFromAccount(row: AccountRow, requestId: string): Actor {
  const { visibleFields, submissions, teamKind, ...account } = row;
  const permissions = new Set<Permission>(row.roles.flatMap((r) => ROLE_PERMISSIONS[r] ?? []));
  if (teamKind === TeamKind.EARLY_HELP && row.roles.includes(RoleCode.TEAM_MANAGER)) {
    for (const p of EARLY_HELP_SERVICE) permissions.add(p);
  }
  const agreement = row.providerId && visibleFields
    ? { visible: new Set(visibleFields), submissions: new Set(submissions ?? []) }
    : null;
  return { ...account, permissions, scope: caseScopeOf(row.roles), agreement, requestId };
}
