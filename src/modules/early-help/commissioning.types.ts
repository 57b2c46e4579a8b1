import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsOptional, Min, ValidateNested } from 'class-validator';
import { DateTime, LocalDate } from '../../shared/graphql/scalars';
import { HasText, IsId } from '../../shared/graphql/validators';
import { Connection } from '../../shared/graphql/pagination';
import { ConsentKind, ProviderReferralStatus, SupportingFamiliesNeed } from './early-help.entity';
import type { EarlyHelpEpisode } from './early-help.entity';
import { EarlyHelpEpisodeType, IsIdempotencyKey } from './early-help.types';

export enum RetriageReason {
  WAITED_TOO_LONG = 'WAITED_TOO_LONG',
  NEW_CONTACT = 'NEW_CONTACT',
  NEW_REFERRAL = 'NEW_REFERRAL',
  SAFEGUARDING_CONCERN = 'SAFEGUARDING_CONCERN',
  NEEDS_ESCALATED = 'NEEDS_ESCALATED',
}
registerEnumType(RetriageReason, {
  name: 'RetriageReason',
  description: 'Why a waiting family should be looked at again: waited longer than the local limit, a contact or referral on '
    + 'one of its children since the request, a safeguarding concern raised while waiting, or a concern that added needs '
    + 'while waiting. Provider staff are given only WAITED_TOO_LONG.',
});

// ---- records ----

@ObjectType('EarlyHelpConsent', { description: 'Consent to support or to sharing: who gave it, when, for what; withdrawal is recorded, never deleted.' })
export class EarlyHelpConsentType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  episodeId: string;

  @Field(() => ConsentKind)
  kind: ConsentKind;

  @Field()
  givenBy: string;

  @Field({ description: 'e.g. mother, father, young person (Gillick competent).' })
  relationship: string;

  @Field(() => LocalDate)
  givenOn: string;

  @Field({ description: 'What is consented to.' })
  scope: string;

  @Field(() => LocalDate, { nullable: true })
  withdrawnOn: string | null;

  @Field(() => String, { nullable: true })
  withdrawnBy: string | null;

  @Field(() => String, { nullable: true })
  withdrawalReason: string | null;

  @Field(() => Int)
  version: number;
}

@ObjectType('EarlyHelpReferral', { description: 'The episode commissioned to a provider, and the provider’s decision.' })
export class EarlyHelpReferralType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  episodeId: string;

  @Field(() => ID)
  providerId: string;

  @Field(() => ID)
  contractId: string;

  @Field(() => ProviderReferralStatus)
  status: ProviderReferralStatus;

  @Field(() => DateTime)
  offeredAt: Date;

  @Field(() => String, { nullable: true, description: 'The council’s note when commissioning (never shared with the provider).' })
  commissioningNote: string | null;

  @Field(() => DateTime, { nullable: true })
  decidedAt: Date | null;

  @Field(() => ID, { nullable: true })
  decidedById: string | null;

  @Field(() => String, { nullable: true })
  declineReason: string | null;

  @Field(() => LocalDate, { nullable: true })
  closedOn: string | null;

  @Field(() => Int)
  version: number;
}

@ObjectType('EarlyHelpConcern', { description: 'A concern raised while a family waits (or during work); a safeguarding one flags re-triage.' })
export class EarlyHelpConcernType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  episodeId: string;

  @Field(() => DateTime)
  raisedAt: Date;

  @Field()
  safeguarding: boolean;

  @Field()
  description: string;

  @Field(() => [SupportingFamiliesNeed], { description: 'Needs this concern added to the episode.' })
  needsAdded: SupportingFamiliesNeed[];

  @Field(() => Int)
  version: number;
}

// ---- request for support and consent ----

@InputType()
export class RequesterInput {
  @Field({ description: 'Who asked for support.' })
  @HasText(2, 200)
  name: string;

  @Field({ description: 'Their role (e.g. designated safeguarding lead, health visitor, parent).' })
  @HasText(2, 200)
  role: string;

  @Field(() => String, { nullable: true, description: 'Their agency (e.g. the school).' })
  @IsOptional()
  @HasText(2, 200)
  agency?: string | null;
}

@InputType({ description: 'Consent given: who gave it, their relationship to the child, when, and to what.' })
export class ConsentInput {
  @Field(() => ConsentKind)
  kind: ConsentKind;

  @Field()
  @HasText(2, 200)
  givenBy: string;

  @Field({ description: 'e.g. mother, father, young person (Gillick competent).' })
  @HasText(2, 100)
  relationship: string;

  @Field(() => LocalDate, { description: 'Not in the future.' })
  givenOn: string;

  @Field({ description: 'What is consented to (which agencies may share, for what).' })
  @HasText(5, 4000)
  scope: string;
}

@InputType({ description: 'A request for early help for a child or a family.' })
export class RequestEarlyHelpInput {
  @Field(() => [ID], { description: 'The children (1 to 20); the first is the primary child, on whom the family plan is recorded.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsId({ each: true })
  childIds: string[];

  @Field(() => ID, { nullable: true, description: 'The household, which must contain every child.' })
  @IsOptional()
  @IsId()
  familyId?: string | null;

  @Field(() => RequesterInput)
  @ValidateNested()
  requester: RequesterInput;

  @Field({ description: 'Why support is requested.' })
  @HasText(10, 20000)
  reason: string;

  @Field(() => [SupportingFamiliesNeed], { description: 'The needs identified (at least one, each once).' })
  @ArrayMinSize(1)
  @ArrayUnique()
  needs: SupportingFamiliesNeed[];

  @Field(() => [ConsentInput], { nullable: true, description: 'Consent already given (support and sharing are both needed to commission).' })
  @IsOptional()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  consents?: ConsentInput[] | null;

  @Field(() => DateTime, { nullable: true, description: 'When the request was made (default now; not in the future).' })
  @IsOptional()
  requestedAt?: Date | null;
}

@InputType()
export class RecordEarlyHelpConsentInput extends ConsentInput {
  @Field(() => ID)
  @IsId()
  episodeId: string;
}

@InputType()
export class WithdrawEarlyHelpConsentInput {
  @Field(() => ID, { description: 'The consent.' })
  @IsId()
  id: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;

  @Field(() => LocalDate, { description: 'Not in the future, not before consent was given.' })
  withdrawnOn: string;

  @Field()
  @HasText(2, 200)
  withdrawnBy: string;

  @Field()
  @HasText(5, 4000)
  reason: string;
}

// ---- concerns ----

@InputType()
export class RaiseEarlyHelpConcernInput {
  @Field(() => ID)
  @IsId()
  episodeId: string;

  @Field({ description: 'Makes a retry safe: the same key and content return the first result.' })
  @IsIdempotencyKey()
  idempotencyKey: string;

  @Field({ description: 'A safeguarding concern flags the family for re-triage while it waits.' })
  safeguarding: boolean;

  @Field()
  @HasText(10, 20000)
  description: string;

  @Field(() => [SupportingFamiliesNeed], { description: 'Needs to add to the episode.' })
  @ArrayMaxSize(10)
  @ArrayUnique()
  needsAdded: SupportingFamiliesNeed[];
}

@ObjectType('RaiseEarlyHelpConcernPayload')
export class RaiseEarlyHelpConcernPayload {
  @Field(() => EarlyHelpConcernType)
  concern: EarlyHelpConcernType;

  @Field({ description: 'True when this was a retry answered with the first result (nothing written).' })
  replayed: boolean;
}

// ---- commissioning and the provider's decision ----

@InputType()
export class CommissionEarlyHelpInput {
  @Field(() => ID)
  @IsId()
  episodeId: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;

  @Field(() => ID)
  @IsId()
  providerId: string;

  @Field(() => String, { nullable: true, description: 'For the council only (never shared with the provider).' })
  @IsOptional()
  @HasText(2, 4000)
  note?: string | null;

  @Field({ defaultValue: false, description: 'Commission even though the provider’s capacity is full.' })
  overCapacity: boolean;
}

@InputType()
export class AcceptEarlyHelpReferralInput {
  @Field(() => ID, { description: 'The early help referral.' })
  @IsId()
  id: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;

  @Field()
  @IsIdempotencyKey()
  idempotencyKey: string;

  @Field(() => ID, { description: 'The lead practitioner: an active member of the provider’s staff.' })
  @IsId()
  leadPractitionerId: string;

  @Field(() => LocalDate, { description: 'When work starts: not in the future, not before the request.' })
  startDate: string;
}

@InputType()
export class DeclineEarlyHelpReferralInput {
  @Field(() => ID, { description: 'The early help referral.' })
  @IsId()
  id: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;

  @Field()
  @IsIdempotencyKey()
  idempotencyKey: string;

  @Field()
  @HasText(10, 4000)
  reason: string;
}

@ObjectType('EarlyHelpReferralDecisionPayload')
export class EarlyHelpReferralDecisionPayload {
  @Field(() => EarlyHelpReferralType)
  referral: EarlyHelpReferralType;

  @Field(() => EarlyHelpEpisodeType, {
    nullable: true,
    description: 'The episode as it now stands, if the actor may still see it (after a decline the provider no longer may).',
  })
  episode: EarlyHelpEpisode | null;

  @Field({ description: 'True when this was a retry answered with the first result (nothing written).' })
  replayed: boolean;
}

// ---- the waiting list ----

@ObjectType('EarlyHelpWaitingEntry', { description: 'A family waiting for early help (from request to the start of work).' })
export class EarlyHelpWaitingEntryType {
  @Field(() => EarlyHelpEpisodeType)
  episode: EarlyHelpEpisode;

  @Field(() => Int, { description: 'Calendar days from the request to today.' })
  daysWaiting: number;

  @Field()
  needsRetriage: boolean;

  @Field(() => [RetriageReason])
  retriageReasons: RetriageReason[];

  /** The provider offered the family (resolved by a field resolver; null while REQUESTED). */
  providerId: string | null;
}

export const EarlyHelpWaitingEntryConnection = Connection(EarlyHelpWaitingEntryType, 'EarlyHelpWaitingEntry');

@ArgsType()
export class EarlyHelpWaitingListArgs {
  @Field(() => ID, { nullable: true, description: 'Only families offered to this provider.' })
  @IsOptional()
  @IsId()
  providerId?: string | null;
}
