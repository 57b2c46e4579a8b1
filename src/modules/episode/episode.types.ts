import { IsId } from '../../shared/graphql/validators';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { IsIn, Min } from 'class-validator';
import { LocalDate } from '../../shared/graphql/scalars';
import { CLOSURE_REASONS } from './episode.rules';

@ObjectType('Episode', { description: 'An episode of need (CINdetails): opened by a referral, closed with a date and a reason.' })
export class EpisodeType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  childId: string;

  @Field(() => LocalDate, { description: 'CINreferralDate (N00100): the date of the opening referral.' })
  startDate: string;

  @Field({ description: 'ReferralSource (N00152).' })
  referralSource: string;

  @Field({ description: 'PrimaryNeedCode (N00101).' })
  primaryNeedCode: string;

  @Field(() => LocalDate, { nullable: true, description: 'CINclosureDate (N00102).' })
  closureDate: string | null;

  @Field(() => String, { nullable: true, description: 'ReasonForClosure (N00103): RC1-RC9.' })
  closureReason: string | null;

  @Field(() => Int)
  version: number;
}

@InputType()
export class CloseEpisodeInput {
  @Field(() => ID)
  @IsId()
  id: string;

  @Field(() => Int)
  @Min(1)
  expectedVersion: number;

  @Field(() => LocalDate, { description: 'Not before the start, not in the future.' })
  closureDate: string;

  @Field({ description: 'RC1-RC9; RC8/RC9 (closed after assessment) only when the episode had no section 47, CP or CIN plan.' })
  @IsIn([...CLOSURE_REASONS])
  reason: string;
}
