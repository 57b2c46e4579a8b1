import { Account, AccountRole, Provider, Role, Team } from '../../modules/identity/identity.entity';
import { Child } from '../../modules/child/child.entity';
import { Family, FamilyMember } from '../../modules/family/family.entity';
import { BreakGlassAccess, RestrictionGrant } from '../../modules/restriction/restriction.entity';
import { Allocation, Contact, Referral } from '../../modules/front-door/front-door.entity';
import { AuditEntry } from '../../modules/audit/audit.entity';
import { BankHoliday } from '../../modules/calendar/bank-holiday.entity';
import { Episode } from '../../modules/episode/episode.entity';
import { Assessment } from '../../modules/assessment/assessment.entity';
import { ChildProtectionConference, Section47, StrategyDiscussion } from '../../modules/child-protection/child-protection.entity';
import { Plan, PlanAction, PlanOutcome, PlanReview, PlanRevision, PlanTypeSetting } from '../../modules/plan/plan.entity';
import { Visit } from '../../modules/visit/visit.entity';
import {
  DataSharingAgreement, EarlyHelpAssessment, EarlyHelpChild, EarlyHelpConcern, EarlyHelpConsent, EarlyHelpEpisode, EarlyHelpReferral,
  EarlyHelpSetting, IdempotencyKey, ProviderContract, TeamAroundFamilyMeeting,
} from '../../modules/early-help/early-help.entity';
import { CaseloadSetting } from '../../modules/reporting/reporting.entity';
import { ManagementDecision, Supervision, SupervisionCase } from '../../modules/supervision/supervision.entity';

export const entities = [
  Team, Provider, Role, Account, AccountRole,
  Child, Family, FamilyMember, RestrictionGrant, BreakGlassAccess,
  Contact, Referral, Allocation, AuditEntry, BankHoliday,
  Episode, Assessment, StrategyDiscussion, Section47, ChildProtectionConference,
  Plan, PlanOutcome, PlanAction, PlanReview, PlanRevision, PlanTypeSetting, Visit,
  Supervision, SupervisionCase, ManagementDecision,
  ProviderContract, DataSharingAgreement, EarlyHelpSetting, EarlyHelpEpisode, EarlyHelpChild, EarlyHelpConsent, EarlyHelpReferral,
  EarlyHelpConcern, EarlyHelpAssessment, TeamAroundFamilyMeeting, IdempotencyKey, CaseloadSetting,
];
