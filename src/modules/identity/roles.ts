/** The eleven roles of the contract. The `role` table holds them as data; what each may do is `permissions.ts`. */
export enum RoleCode {
  SOCIAL_WORKER = 'SOCIAL_WORKER',
  TEAM_MANAGER = 'TEAM_MANAGER',
  FRONT_DOOR = 'FRONT_DOOR',
  EARLY_HELP_PRACTITIONER = 'EARLY_HELP_PRACTITIONER',
  CONFERENCE_CHAIR = 'CONFERENCE_CHAIR',
  SERVICE_MANAGER = 'SERVICE_MANAGER',
  PROVIDER_PRACTITIONER = 'PROVIDER_PRACTITIONER',
  PROVIDER_MANAGER = 'PROVIDER_MANAGER',
  PERFORMANCE_ANALYST = 'PERFORMANCE_ANALYST',
  INFORMATION_GOVERNANCE = 'INFORMATION_GOVERNANCE',
  ADMIN = 'ADMIN',
}

export const ROLE_NAMES: Record<RoleCode, string> = {
  SOCIAL_WORKER: 'Social worker',
  TEAM_MANAGER: 'Team manager',
  FRONT_DOOR: 'Front door (MASH) screener',
  EARLY_HELP_PRACTITIONER: 'Early help practitioner (council)',
  CONFERENCE_CHAIR: 'Child protection conference chair',
  SERVICE_MANAGER: 'Service manager',
  PROVIDER_PRACTITIONER: 'Commissioned provider practitioner',
  PROVIDER_MANAGER: 'Commissioned provider manager',
  PERFORMANCE_ANALYST: 'Performance analyst',
  INFORMATION_GOVERNANCE: 'Information governance',
  ADMIN: 'Administrator',
};
