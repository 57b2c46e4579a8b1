import { Account, AccountRole, Provider, Role, Team } from '../../modules/identity/identity.entity';
import { Child } from '../../modules/child/child.entity';
import { Family, FamilyMember } from '../../modules/family/family.entity';
import { BreakGlassAccess, RestrictionGrant } from '../../modules/restriction/restriction.entity';
import { Allocation, Contact, Referral } from '../../modules/front-door/front-door.entity';
import { AuditEntry } from '../../modules/audit/audit.entity';
import { BankHoliday } from '../../modules/calendar/bank-holiday.entity';

export const entities = [
  Team, Provider, Role, Account, AccountRole,
  Child, Family, FamilyMember, RestrictionGrant, BreakGlassAccess,
  Contact, Referral, Allocation, AuditEntry, BankHoliday,
];
