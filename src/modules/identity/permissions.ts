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
  'supervision:mine',
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
  // Early help. `earlyhelp:read` reaches episodes of children in the actor's case scope; `earlyhelp:all` every
  // early help episode (the council's early help practitioners and managers); `earlyhelp:shared` is the provider's
  // view: families with an open referral to its organisation, only the fields of its data sharing agreement.
  'earlyhelp:read',
  'earlyhelp:all',
  'earlyhelp:shared',
  'earlyhelp:request',
  'earlyhelp:commission',
  'earlyhelp:decide',
  'earlyhelp:record',
  'earlyhelp:stepUp',
  'earlyhelp:stepDown',
  'provider:read',
  'provider:manage',
  // Reporting: aggregates and the identifiers of the records they count (analysts: never names or notes);
  // `performance:records` drills down to the records themselves, within the actor's case scope (managers).
  'performance:read',
  'performance:records',
  // Statutory returns (every export audited).
  'return:cinCensus',
  'return:annexA',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const PRACTICE: Permission[] = [
  'me:read', 'child:search', 'child:read', 'family:read', 'referral:read', 'caseload:mine', 'supervision:mine', 'calendar:read',
];
/** Statutory casework a social worker records on the children their team holds. */
const CASEWORK: Permission[] = ['episode:close', 'assessment:write', 'section47:record', 'plan:write', 'visit:record'];
/** Early help work on the council side, on the children the actor's scope reaches. */
const EARLY_HELP_WORK: Permission[] = ['earlyhelp:read', 'earlyhelp:request', 'earlyhelp:record', 'earlyhelp:stepUp', 'provider:read'];
/**
 * What the council's early help practitioners and managers add: all early help (every episode, the whole waiting list)
 * and commissioning. Team managers get these only when they manage an early help team (actorFromAccount).
 */
export const EARLY_HELP_SERVICE: Permission[] = ['earlyhelp:all', 'earlyhelp:commission'];
const EARLY_HELP: Permission[] = [...EARLY_HELP_WORK, ...EARLY_HELP_SERVICE];
/** Provider staff: their organisation's families, under its data sharing agreement; nothing else. */
const PROVIDER: Permission[] = ['me:read', 'calendar:read', 'earlyhelp:shared', 'earlyhelp:record', 'caseload:mine', 'provider:read'];
/** Management oversight, including the team's performance figures and the records behind them. */
const OVERSIGHT: Permission[] = ['assessment:authorise', 'supervision:record', 'decision:record', 'performance:read', 'performance:records'];

export const ROLE_PERMISSIONS: Record<RoleCode, Permission[]> = {
  SOCIAL_WORKER: [
    ...PRACTICE, ...CASEWORK, 'child:create', 'child:update', 'family:write', 'contact:record', 'referral:create', 'earlyhelp:read',
    'earlyhelp:request', 'earlyhelp:stepDown', 'provider:read',
  ],
  TEAM_MANAGER: [
    ...PRACTICE, ...CASEWORK, ...OVERSIGHT, 'child:create', 'child:update', 'family:write', 'contact:record', 'referral:create', 'referral:decide',
    'case:allocate', 'caseload:team', 'record:restrict', 'record:breakGlass', 'audit:read', ...EARLY_HELP_WORK, 'earlyhelp:stepDown',
  ],
  // The front door works its own team's queue (referrals awaiting decision) through teamCaseload.
  FRONT_DOOR: [
    ...PRACTICE, 'child:create', 'child:update', 'family:write', 'contact:record', 'referral:create', 'referral:decide',
    'case:allocate', 'caseload:team', 'record:breakGlass', 'earlyhelp:read', 'earlyhelp:request', 'provider:read',
  ],
  EARLY_HELP_PRACTITIONER: [...PRACTICE, ...EARLY_HELP, 'child:create', 'child:update', 'family:write', 'contact:record'],
  // Chairs record conferences for children in the child protection cohort (CaseScope.CHILD_PROTECTION).
  CONFERENCE_CHAIR: [...PRACTICE, 'conference:record', 'earlyhelp:read'],
  SERVICE_MANAGER: [
    ...PRACTICE, ...CASEWORK, ...OVERSIGHT, 'conference:record', 'child:create', 'child:update', 'family:write', 'contact:record', 'referral:create', 'referral:decide',
    'case:allocate', 'caseload:team', 'record:restrict', 'record:breakGlass', 'audit:read', ...EARLY_HELP, 'earlyhelp:stepDown', 'return:cinCensus',
    'return:annexA',
  ],
  PROVIDER_PRACTITIONER: PROVIDER,
  // The provider's manager also accepts (naming the lead practitioner) or declines the council's referrals.
  PROVIDER_MANAGER: [...PROVIDER, 'earlyhelp:decide'],
  // Aggregates and record identifiers only, and the statutory returns: no names, no case details.
  PERFORMANCE_ANALYST: ['me:read', 'calendar:read', 'performance:read', 'return:cinCensus', 'return:annexA'],
  INFORMATION_GOVERNANCE: ['me:read', 'child:search', 'audit:read', 'record:restrict', 'calendar:read'],
  // Providers, contracts, agreements and accounts; no case data.
  ADMIN: ['me:read', 'calendar:read', 'calendar:manage', 'provider:read', 'provider:manage'],
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
  /** Children allocated to the actor's team, and children in an open early help episode (council early help). */
  EARLY_HELP = 'EARLY_HELP',
  /** Children of families with an open early help referral to the actor's provider organisation. */
  PROVIDER = 'PROVIDER',
  /** Every child that is not restricted. */
  SERVICE = 'SERVICE',
}

export function caseScopeOf(roles: RoleCode[]): CaseScope {
  if (roles.includes(RoleCode.SERVICE_MANAGER)) return CaseScope.SERVICE;
  if (roles.includes(RoleCode.FRONT_DOOR)) return CaseScope.TEAM_AND_UNALLOCATED;
  if (roles.includes(RoleCode.CONFERENCE_CHAIR)) return CaseScope.CHILD_PROTECTION;
  if (roles.includes(RoleCode.EARLY_HELP_PRACTITIONER)) return CaseScope.EARLY_HELP;
  if (roles.includes(RoleCode.PROVIDER_PRACTITIONER) || roles.includes(RoleCode.PROVIDER_MANAGER)) return CaseScope.PROVIDER;
  const team = [RoleCode.SOCIAL_WORKER, RoleCode.TEAM_MANAGER];
  return roles.some((r) => team.includes(r)) ? CaseScope.TEAM : CaseScope.NONE;
}
