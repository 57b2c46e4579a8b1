import { RoleCode } from './roles';

/** What each role may do (`area:action`). Record-level scope is applied on top, in SQL (child/child.scope.ts). */
export const PERMISSIONS = [
  'me:read',
  'child:search',
  'child:read',
  'child:create',
  'child:update',
  'family:read',
  'family:write',
  'record:restrict',
  'record:breakGlass',
  'contact:record',
  'referral:read',
  'referral:create',
  'referral:decide',
  'case:allocate',
  'caseload:mine',
  'caseload:team',
  'audit:read',
  'calendar:read',
  'calendar:manage',
  'episode:close',
  'assessment:write',
  'assessment:authorise',
  'section47:record',
  'conference:record',
  'plan:write',
  'visit:record',
  'supervision:record',
  'decision:record',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const PRACTICE: Permission[] = ['me:read', 'child:search', 'child:read', 'family:read', 'referral:read', 'caseload:mine', 'calendar:read'];
/** Statutory casework a social worker records on the children their team holds. */
const CASEWORK: Permission[] = ['episode:close', 'assessment:write', 'section47:record', 'plan:write', 'visit:record'];
/** Management oversight. */
const OVERSIGHT: Permission[] = ['assessment:authorise', 'supervision:record', 'decision:record'];

export const ROLE_PERMISSIONS: Record<RoleCode, Permission[]> = {
  SOCIAL_WORKER: [...PRACTICE, ...CASEWORK, 'child:create', 'child:update', 'family:write', 'contact:record', 'referral:create'],
  TEAM_MANAGER: [
    ...PRACTICE, ...CASEWORK, ...OVERSIGHT, 'child:create', 'child:update', 'family:write', 'contact:record', 'referral:create', 'referral:decide',
    'case:allocate', 'caseload:team', 'record:restrict', 'record:breakGlass', 'audit:read',
  ],
  // The front door works its own team's queue (referrals awaiting decision) through teamCaseload.
  FRONT_DOOR: [
    ...PRACTICE, 'child:create', 'child:update', 'family:write', 'contact:record', 'referral:create', 'referral:decide',
    'case:allocate', 'caseload:team', 'record:breakGlass',
  ],
  EARLY_HELP_PRACTITIONER: [...PRACTICE, 'child:create', 'child:update', 'family:write', 'contact:record'],
  // Chairs record conferences for children in the child protection cohort (CaseScope.CHILD_PROTECTION).
  CONFERENCE_CHAIR: [...PRACTICE, 'conference:record'],
  SERVICE_MANAGER: [
    ...PRACTICE, ...CASEWORK, ...OVERSIGHT, 'conference:record', 'child:create', 'child:update', 'family:write', 'contact:record', 'referral:create', 'referral:decide',
    'case:allocate', 'caseload:team', 'record:restrict', 'record:breakGlass', 'audit:read',
  ],
  // Provider staff get early help fields only (a later issue); nothing of the records this issue adds.
  PROVIDER_PRACTITIONER: ['me:read', 'calendar:read'],
  PROVIDER_MANAGER: ['me:read', 'calendar:read'],
  // Aggregates and identifiers only (reporting is a later issue): no names, no case details.
  PERFORMANCE_ANALYST: ['me:read', 'calendar:read'],
  INFORMATION_GOVERNANCE: ['me:read', 'child:search', 'audit:read', 'record:restrict', 'calendar:read'],
  ADMIN: ['me:read', 'calendar:read', 'calendar:manage'],
};

/** How far an actor's case access reaches (applied in SQL by child.scope.ts). */
export enum CaseScope {
  /** No case records at all. */
  NONE = 'NONE',
  /** Children allocated to the actor's team. */
  TEAM = 'TEAM',
  /** Children allocated to the actor's team, and unallocated children (the front door holds them). */
  TEAM_AND_UNALLOCATED = 'TEAM_AND_UNALLOCATED',
  /** Children with an open section 47 enquiry or a child protection plan (conference chairs). */
  CHILD_PROTECTION = 'CHILD_PROTECTION',
  /** Every child that is not restricted. */
  SERVICE = 'SERVICE',
}

export function caseScopeOf(roles: RoleCode[]): CaseScope {
  if (roles.includes(RoleCode.SERVICE_MANAGER)) return CaseScope.SERVICE;
  if (roles.includes(RoleCode.FRONT_DOOR)) return CaseScope.TEAM_AND_UNALLOCATED;
  if (roles.includes(RoleCode.CONFERENCE_CHAIR)) return CaseScope.CHILD_PROTECTION;
  const team = [RoleCode.SOCIAL_WORKER, RoleCode.TEAM_MANAGER, RoleCode.EARLY_HELP_PRACTITIONER];
  return roles.some((r) => team.includes(r)) ? CaseScope.TEAM : CaseScope.NONE;
}
