import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IsIn, Matches } from 'class-validator';
import { DateTime, LocalDate } from '../../shared/graphql/scalars';
import { HasText, IsId } from '../../shared/graphql/validators';
import { ConsentKind, EarlyHelpOutcome, EarlyHelpStatus, ProviderReferralStatus, SupportingFamiliesNeed } from './early-help.entity';

registerEnumType(SupportingFamiliesNeed, {
  name: 'SupportingFamiliesNeed',
  description: 'The 10 Supporting Families headings: education, early years, health, substance use, family relationships, '
    + 'safe from abuse and exploitation, crime, domestic abuse, housing, financial stability.',
});
registerEnumType(EarlyHelpStatus, {
  name: 'EarlyHelpStatus',
  description: 'REQUESTED (waiting to be commissioned) → OFFERED (waiting for the provider) → IN_WORK → CLOSED',
});
registerEnumType(EarlyHelpOutcome, { name: 'EarlyHelpOutcome' });
registerEnumType(ConsentKind, { name: 'ConsentKind', description: 'SUPPORT: to early help itself; SHARING: to sharing information' });
registerEnumType(ProviderReferralStatus, { name: 'ProviderReferralStatus' });

/** A provider's idempotency key: 8-200 characters of letters, digits, `-`, `_`, `.`, `:` (a UUID is ideal). */
export function IsIdempotencyKey() {
  return Matches(/^[A-Za-z0-9._:-]{8,200}$/, { message: 'must be 8-200 letters, digits, dots, colons, dashes or underscores' });
}

@ObjectType('NeedProgress', { description: 'Progress against one need at closure.' })
export class NeedProgressType {
  @Field(() => SupportingFamiliesNeed)
  need: SupportingFamiliesNeed;

  @Field({ description: 'IMPROVED, SUSTAINED, NO_CHANGE or WORSENED.' })
  rating: string;

  @Field()
  comment: string;
}

export const PROGRESS_RATINGS = ['IMPROVED', 'SUSTAINED', 'NO_CHANGE', 'WORSENED'] as const;

@InputType()
export class NeedProgressInput {
  @Field(() => SupportingFamiliesNeed)
  need: SupportingFamiliesNeed;

  @Field({ description: 'IMPROVED, SUSTAINED, NO_CHANGE or WORSENED.' })
  @IsIn([...PROGRESS_RATINGS])
  rating: string;

  @Field()
  @HasText(1, 4000)
  comment: string;
}

@ObjectType('EarlyHelpEpisode', {
  description: 'Early help for a family or child, from request for support to closure. Provider staff see only the fields of '
    + 'their data sharing agreement, and only while their referral is open.',
})
export class EarlyHelpEpisodeType {
  @Field(() => ID)
  id: string;

  @Field(() => ID, { nullable: true })
  familyId: string | null;

  @Field(() => ID, { description: 'The child the request is about (the family plan is recorded on this child).' })
  primaryChildId: string;

  @Field(() => EarlyHelpStatus)
  status: EarlyHelpStatus;

  @Field(() => DateTime)
  requestedAt: Date;

  @Field(() => LocalDate, { description: 'Waiting time counts from this date.' })
  requestedOn: string;

  @Field({ description: 'Who asked for support.' })
  requesterName: string;

  @Field()
  requesterRole: string;

  @Field(() => String, { nullable: true })
  requesterAgency: string | null;

  @Field({ description: 'Why support was requested.' })
  reason: string;

  @Field(() => [SupportingFamiliesNeed])
  needs: SupportingFamiliesNeed[];

  @Field(() => ID, { nullable: true })
  providerId: string | null;

  @Field(() => ID, { nullable: true })
  leadPractitionerId: string | null;

  @Field(() => LocalDate, { nullable: true })
  workStartedOn: string | null;

  @Field(() => LocalDate, { nullable: true })
  closedOn: string | null;

  @Field(() => EarlyHelpOutcome, { nullable: true })
  outcome: EarlyHelpOutcome | null;

  @Field(() => String, { nullable: true })
  closureSummary: string | null;

  @Field(() => [NeedProgressType], { nullable: true })
  closureProgress: NeedProgressType[] | null;

  @Field(() => ID, { nullable: true, description: 'Step-down: the social care episode closed with RC9 that opened this one.' })
  steppedDownFromEpisodeId: string | null;

  @Field(() => ID, { nullable: true, description: 'Step-down: the social care assessment carried across.' })
  steppedDownAssessmentId: string | null;

  @Field(() => Int)
  version: number;
}

@ArgsType()
export class EarlyHelpEpisodeArgs {
  @Field(() => ID)
  @IsId()
  id: string;
}
