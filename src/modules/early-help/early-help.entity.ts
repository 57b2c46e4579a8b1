import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { CaseRecord } from '../../shared/db/base.entity';
import { Account, Provider } from '../identity/identity.entity';
import { Child } from '../child/child.entity';
import { Family } from '../family/family.entity';
import { Episode } from '../episode/episode.entity';
import { Assessment } from '../assessment/assessment.entity';

/** The 10 Supporting Families headings (TIMESCALES.md, early help practice). */
export enum SupportingFamiliesNeed {
  EDUCATION = 'EDUCATION',
  EARLY_YEARS = 'EARLY_YEARS',
  HEALTH = 'HEALTH',
  SUBSTANCE_USE = 'SUBSTANCE_USE',
  FAMILY_RELATIONSHIPS = 'FAMILY_RELATIONSHIPS',
  SAFE_FROM_ABUSE_AND_EXPLOITATION = 'SAFE_FROM_ABUSE_AND_EXPLOITATION',
  CRIME = 'CRIME',
  DOMESTIC_ABUSE = 'DOMESTIC_ABUSE',
  HOUSING = 'HOUSING',
  FINANCIAL_STABILITY = 'FINANCIAL_STABILITY',
}

/**
 * From request for support to closure. REQUESTED (waiting to be commissioned, or returned by a provider's decline)
 * → OFFERED (commissioned to a provider, waiting for its decision) → IN_WORK (accepted, lead practitioner named) → CLOSED.
 */
export enum EarlyHelpStatus {
  REQUESTED = 'REQUESTED',
  OFFERED = 'OFFERED',
  IN_WORK = 'IN_WORK',
  CLOSED = 'CLOSED',
}

export enum EarlyHelpOutcome {
  NEEDS_MET = 'NEEDS_MET',
  STEPPED_UP = 'STEPPED_UP',
  CONSENT_WITHDRAWN = 'CONSENT_WITHDRAWN',
  MOVED_AWAY = 'MOVED_AWAY',
  NO_FURTHER_ACTION = 'NO_FURTHER_ACTION',
}

export enum ConsentKind {
  /** Consent to early help support (it is voluntary). */
  SUPPORT = 'SUPPORT',
  /** Consent to share information with the provider and partner agencies. */
  SHARING = 'SHARING',
}

export enum ProviderReferralStatus {
  OFFERED = 'OFFERED',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
  CLOSED = 'CLOSED',
}

/** A provider's contract with the council: the service, its dates and how many families it works with at once. */
@Entity()
@Index(['providerId', 'startsOn'])
@Check(`capacity > 0`)
@Check(`ends_on >= starts_on`)
export class ProviderContract extends CaseRecord {
  @Column({ type: 'uuid' })
  providerId: string;

  @ManyToOne(() => Provider, { onDelete: 'RESTRICT' })
  @JoinColumn()
  provider?: Provider;

  @Column({ type: 'text' })
  service: string;

  @Column({ type: 'date' })
  startsOn: string;

  @Column({ type: 'date' })
  endsOn: string;

  /** Families in work at once. */
  @Column({ type: 'int' })
  capacity: number;
}

/**
 * The data sharing agreement with a provider, as data: the fields its staff may see (`Type.field`, from the
 * shareable vocabulary in early-help.agreement.ts) and the submissions they may make. The newest one in force applies.
 */
@Entity()
@Index(['providerId', 'startsOn'])
export class DataSharingAgreement extends CaseRecord {
  @Column({ type: 'uuid' })
  providerId: string;

  @ManyToOne(() => Provider, { onDelete: 'RESTRICT' })
  @JoinColumn()
  provider?: Provider;

  @Column({ type: 'text' })
  reference: string;

  @Column({ type: 'date' })
  startsOn: string;

  @Column({ type: 'date', nullable: true })
  endsOn: string | null;

  @Column({ type: 'text', array: true })
  visibleFields: string[];

  @Column({ type: 'text', array: true })
  submissions: string[];
}

/** Local early help settings (one row, id 1). */
@Entity()
@Check(`id = 1`)
export class EarlyHelpSetting {
  @PrimaryColumn({ type: 'int' })
  id: number;

  /** A family waiting longer than this many calendar days is flagged for re-triage. */
  @Column({ type: 'int', default: 28 })
  retriageAfterDays: number;

  /** The early help assessment is due this many working days after work starts. */
  @Column({ type: 'int', default: 20 })
  assessmentDueWorkingDays: number;

  /** Team-around-the-family meetings at least every this many weeks. */
  @Column({ type: 'int', default: 6 })
  meetingEveryWeeks: number;
}

/** One early help episode: request for support → commissioning → work → closure, for a family or a child. */
@Entity()
@Index(['requestedOn', 'id'], { where: `status IN ('REQUESTED', 'OFFERED')` })
@Index(['familyId'])
@Index(['primaryChildId'])
@Index(['providerId'], { where: `status <> 'CLOSED'` })
@Index(['leadPractitionerId'], { where: `status = 'IN_WORK'` })
@Index(['steppedDownFromEpisodeId'])
export class EarlyHelpEpisode extends CaseRecord {
  @Column({ type: 'uuid', nullable: true })
  familyId: string | null;

  @ManyToOne(() => Family, { onDelete: 'RESTRICT' })
  @JoinColumn()
  family?: Family;

  /** The child the request is about (for a family request, the first child named); the family plan is recorded on it. */
  @Column({ type: 'uuid' })
  primaryChildId: string;

  @ManyToOne(() => Child, { onDelete: 'RESTRICT' })
  @JoinColumn()
  primaryChild?: Child;

  @Column({ type: 'text', default: EarlyHelpStatus.REQUESTED })
  status: EarlyHelpStatus;

  @Column({ type: 'timestamptz' })
  requestedAt: Date;

  /** London date of requestedAt: waiting time counts from here. */
  @Column({ type: 'date' })
  requestedOn: string;

  /** Who asked for support (name, role, agency: e.g. a school's designated safeguarding lead, a parent). */
  @Column({ type: 'text' })
  requesterName: string;

  @Column({ type: 'text' })
  requesterRole: string;

  @Column({ type: 'text', nullable: true })
  requesterAgency: string | null;

  /** Why support is requested. Required. */
  @Column({ type: 'text' })
  reason: string;

  /** The needs identified, as Supporting Families headings; concerns raised while waiting add to them. */
  @Column({ type: 'text', array: true })
  needs: SupportingFamiliesNeed[];

  /** The provider currently commissioned (null while REQUESTED, or for council-delivered work). */
  @Column({ type: 'uuid', nullable: true })
  providerId: string | null;

  @ManyToOne(() => Provider, { onDelete: 'RESTRICT' })
  @JoinColumn()
  provider?: Provider;

  @Column({ type: 'uuid', nullable: true })
  leadPractitionerId: string | null;

  @ManyToOne(() => Account, { onDelete: 'RESTRICT' })
  @JoinColumn()
  leadPractitioner?: Account;

  @Column({ type: 'date', nullable: true })
  workStartedOn: string | null;

  @Column({ type: 'date', nullable: true })
  closedOn: string | null;

  @Column({ type: 'text', nullable: true })
  outcome: EarlyHelpOutcome | null;

  @Column({ type: 'text', nullable: true })
  closureSummary: string | null;

  /** At closure: progress against each need, [{ need, rating, comment }]. */
  @Column({ type: 'jsonb', nullable: true })
  closureProgress: unknown[] | null;

  /** Step-down: the social care episode closed with RC9 that opened this one, and its assessment. */
  @Column({ type: 'uuid', nullable: true })
  steppedDownFromEpisodeId: string | null;

  @ManyToOne(() => Episode, { onDelete: 'RESTRICT' })
  @JoinColumn()
  steppedDownFromEpisode?: Episode;

  @Column({ type: 'uuid', nullable: true })
  steppedDownAssessmentId: string | null;

  @ManyToOne(() => Assessment, { onDelete: 'RESTRICT' })
  @JoinColumn()
  steppedDownAssessment?: Assessment;
}

/** The children an early help episode is about. */
@Entity()
@Index(['childId'])
export class EarlyHelpChild {
  @PrimaryColumn({ type: 'uuid' })
  episodeId: string;

  @PrimaryColumn({ type: 'uuid' })
  childId: string;

  @ManyToOne(() => EarlyHelpEpisode, { onDelete: 'CASCADE' })
  @JoinColumn()
  episode?: EarlyHelpEpisode;

  @ManyToOne(() => Child, { onDelete: 'RESTRICT' })
  @JoinColumn()
  child?: Child;
}

/** Consent to support or to sharing: who gave it, when, for what; withdrawal recorded, never deleted. */
@Entity()
@Index(['episodeId'])
export class EarlyHelpConsent extends CaseRecord {
  @Column({ type: 'uuid' })
  episodeId: string;

  @ManyToOne(() => EarlyHelpEpisode, { onDelete: 'RESTRICT' })
  @JoinColumn()
  episode?: EarlyHelpEpisode;

  @Column({ type: 'text' })
  kind: ConsentKind;

  @Column({ type: 'text' })
  givenBy: string;

  /** e.g. mother, father, young person (Gillick competent). */
  @Column({ type: 'text' })
  relationship: string;

  @Column({ type: 'date' })
  givenOn: string;

  /** What is consented to (e.g. which agencies may share, for what). */
  @Column({ type: 'text' })
  scope: string;

  @Column({ type: 'date', nullable: true })
  withdrawnOn: string | null;

  @Column({ type: 'text', nullable: true })
  withdrawnBy: string | null;

  @Column({ type: 'text', nullable: true })
  withdrawalReason: string | null;
}

/** The episode commissioned to a provider: its decision (accept with a lead practitioner, or decline with a reason). */
@Entity()
@Index(['episodeId'])
@Index(['providerId', 'status'])
@Index('early_help_referral_one_open', ['episodeId'], { unique: true, where: `status IN ('OFFERED', 'ACCEPTED')` })
export class EarlyHelpReferral extends CaseRecord {
  @Column({ type: 'uuid' })
  episodeId: string;

  @ManyToOne(() => EarlyHelpEpisode, { onDelete: 'RESTRICT' })
  @JoinColumn()
  episode?: EarlyHelpEpisode;

  @Column({ type: 'uuid' })
  providerId: string;

  @ManyToOne(() => Provider, { onDelete: 'RESTRICT' })
  @JoinColumn()
  provider?: Provider;

  @Column({ type: 'uuid' })
  contractId: string;

  @ManyToOne(() => ProviderContract, { onDelete: 'RESTRICT' })
  @JoinColumn()
  contract?: ProviderContract;

  @Column({ type: 'text', default: ProviderReferralStatus.OFFERED })
  status: ProviderReferralStatus;

  @Column({ type: 'timestamptz' })
  offeredAt: Date;

  @Column({ type: 'text', nullable: true })
  commissioningNote: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  decidedById: string | null;

  @ManyToOne(() => Account, { onDelete: 'RESTRICT' })
  @JoinColumn()
  decidedBy?: Account;

  @Column({ type: 'text', nullable: true })
  declineReason: string | null;

  @Column({ type: 'date', nullable: true })
  closedOn: string | null;
}

/** A concern raised while a family waits (or during work): a safeguarding concern flags the family for re-triage. */
@Entity()
@Index(['episodeId'])
export class EarlyHelpConcern extends CaseRecord {
  @Column({ type: 'uuid' })
  episodeId: string;

  @ManyToOne(() => EarlyHelpEpisode, { onDelete: 'RESTRICT' })
  @JoinColumn()
  episode?: EarlyHelpEpisode;

  @Column({ type: 'timestamptz' })
  raisedAt: Date;

  @Column({ type: 'boolean' })
  safeguarding: boolean;

  @Column({ type: 'text' })
  description: string;

  /** Needs added to the episode by this concern. */
  @Column({ type: 'text', array: true, default: '{}' })
  needsAdded: SupportingFamiliesNeed[];
}

/** The early help assessment: the reason is required; needs against the 10 headings, strengths, the child's voice. */
@Entity()
@Index(['episodeId'])
export class EarlyHelpAssessment extends CaseRecord {
  @Column({ type: 'uuid' })
  episodeId: string;

  @ManyToOne(() => EarlyHelpEpisode, { onDelete: 'RESTRICT' })
  @JoinColumn()
  episode?: EarlyHelpEpisode;

  /** Why the assessment is being done. Required (the inspection found it missing). */
  @Column({ type: 'text' })
  reason: string;

  /** [{ need: SupportingFamiliesNeed, description }] */
  @Column({ type: 'jsonb' })
  needs: unknown[];

  @Column({ type: 'text' })
  strengths: string;

  /** The child's lived experience (a day in the life). */
  @Column({ type: 'text' })
  livedExperience: string;

  /** The child's voice: their wishes and feelings, in their words. */
  @Column({ type: 'text' })
  childVoice: string;

  @Column({ type: 'text' })
  analysis: string;

  @Column({ type: 'date' })
  startedOn: string;

  @Column({ type: 'date', nullable: true })
  completedOn: string | null;

  /** The organisation completing it (Annex A list 2): the provider, or null for the council. */
  @Column({ type: 'uuid', nullable: true })
  completedByProviderId: string | null;

  @ManyToOne(() => Provider, { onDelete: 'RESTRICT' })
  @JoinColumn()
  completedByProvider?: Provider;
}

/** A team-around-the-family meeting: who came (by agency), whether the family was there, what was decided. */
@Entity()
@Index(['episodeId', 'heldOn'])
export class TeamAroundFamilyMeeting extends CaseRecord {
  @Column({ type: 'uuid' })
  episodeId: string;

  @ManyToOne(() => EarlyHelpEpisode, { onDelete: 'RESTRICT' })
  @JoinColumn()
  episode?: EarlyHelpEpisode;

  @Column({ type: 'date' })
  heldOn: string;

  /** [{ name, agency, role }] */
  @Column({ type: 'jsonb' })
  attendees: unknown[];

  @Column({ type: 'boolean' })
  familyPresent: boolean;

  @Column({ type: 'text' })
  decisions: string;

  @Column({ type: 'date', nullable: true })
  nextMeetingOn: string | null;
}

/**
 * A provider submission's idempotency key, stored in the same transaction as the write it made. `scope` is the
 * provider (`provider:<id>`) or, for council staff, the account (`account:<id>`).
 */
@Entity()
export class IdempotencyKey {
  @PrimaryColumn({ type: 'text' })
  scope: string;

  @PrimaryColumn({ type: 'text' })
  key: string;

  @Column({ type: 'text' })
  operation: string;

  /** sha256 of the submission's canonical JSON (without the key). */
  @Column({ type: 'text' })
  requestHash: string;

  /** The record the first submission wrote (returned again to a retry). */
  @Column({ type: 'uuid', nullable: true })
  resultId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
