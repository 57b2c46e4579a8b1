import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsIn, IsOptional, Min, ValidateNested } from 'class-validator';
import { DateTime, LocalDate } from '../../shared/graphql/scalars';
import { HasText, IsId } from '../../shared/graphql/validators';
import { PRIMARY_NEED_CODES } from '../reference/codes';
import { ReferralType } from '../front-door/front-door.types';
import { EpisodeType } from '../episode/episode.types';
import { SupportingFamiliesNeed } from './early-help.entity';
import { EarlyHelpEpisodeType } from './early-help.types';
import { ConsentInput } from './commissioning.types';

@InputType({
  description: 'Step-up: early help refers children to the front door (source 5D); the episode closes STEPPED_UP once every child is stepped up.',
})
export class StepUpToSocialCareInput {
  @Field(() => ID)
  @IsId()
  episodeId: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;

  @Field(() => [ID], {
    nullable: true,
    description: "The children to refer, none stepped up from this episode before (default: all the episode's children not yet stepped up).",
  })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsId({ each: true })
  childIds?: string[];

  @Field({ description: 'PrimaryNeedCode (N00101) of the referrals: N0-N9.' })
  @IsIn([...PRIMARY_NEED_CODES])
  primaryNeedCode: string;

  @Field({ description: 'Why early help refers the family to social care.' })
  @HasText(10, 20000)
  reason: string;

  @Field(() => DateTime, { nullable: true, description: 'When the referral is made (default: now).' })
  @IsOptional()
  receivedAt?: Date;
}

@ObjectType('StepUpToSocialCarePayload')
export class StepUpToSocialCarePayload {
  @Field(() => EarlyHelpEpisodeType, {
    description: 'The early help episode: closed with outcome STEPPED_UP when every child is stepped up, otherwise still open for the others.',
  })
  earlyHelpEpisode: EarlyHelpEpisodeType;

  @Field(() => [ReferralType], { description: 'One referral (source 5D) per child, each carrying the early help episode.' })
  referrals: ReferralType[];
}

@InputType({
  description: 'Step-down: a social care episode closes with RC9 after an authorised assessment, and early help is requested with it.',
})
export class StepDownToEarlyHelpInput {
  @Field(() => ID, { description: 'The social care episode of need.' })
  @IsId()
  episodeId: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;

  @Field(() => LocalDate, {
    nullable: true,
    description: 'CINclosureDate: not before the episode start, not in the future. Leave out when the episode was already closed '
      + 'with RC9 by authorising its assessment with the outcome EARLY_HELP (the step-down then only opens the request).',
  })
  closureDate?: string | null;

  @Field({ description: 'Why early help is requested.' })
  @HasText(10, 20000)
  reason: string;

  @Field(() => [SupportingFamiliesNeed])
  @ArrayMinSize(1)
  @ArrayUnique()
  needs: SupportingFamiliesNeed[];

  @Field(() => [ConsentInput], { nullable: true, description: 'Consent to support and to sharing, if already given.' })
  @IsOptional()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  consents?: ConsentInput[];
}

@ObjectType('StepDownToEarlyHelpPayload')
export class StepDownToEarlyHelpPayload {
  @Field(() => EpisodeType, { description: 'The social care episode, closed with RC9.' })
  episode: EpisodeType;

  @Field(() => EarlyHelpEpisodeType, { description: 'The new request for early help (REQUESTED), with the assessment attached.' })
  earlyHelpEpisode: EarlyHelpEpisodeType;
}
