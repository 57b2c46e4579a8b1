import { Arg, Ctx as GqlCtx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { actorOf } from '../../context';
import type { Ctx } from '../../context';
import { AssessmentType } from '../assessment/assessment.types';
import { EpisodeType } from '../episode/episode.types';
import type { Referral } from '../front-door/front-door.entity';
import { ReferralType } from '../front-door/front-door.types';
import type { EarlyHelpEpisode } from './early-help.entity';
import { EarlyHelpEpisodeType } from './early-help.types';
import { StepService } from './step.service';
import { StepDownToEarlyHelpInput, StepDownToEarlyHelpPayload, StepUpToSocialCareInput, StepUpToSocialCarePayload } from './step.types';

@Resolver()
export class StepResolver {
  constructor(private readonly step: StepService) {}

  @Mutation(() => StepUpToSocialCarePayload, {
    description: "Refers the episode's children to the front door (source 5D, carrying the early help record); closes it STEPPED_UP once all are.",
  })
  stepUpToSocialCare(@Arg('input') input: StepUpToSocialCareInput, @GqlCtx() ctx: Ctx) {
    return this.step.stepUp(actorOf(ctx), input);
  }

  @Mutation(() => StepDownToEarlyHelpPayload, {
    description: 'Closes a social care episode with RC9 after its authorised assessment and requests early help with it attached.',
  })
  stepDownToEarlyHelp(@Arg('input') input: StepDownToEarlyHelpInput, @GqlCtx() ctx: Ctx) {
    return this.step.stepDown(actorOf(ctx), input);
  }
}

/** Where an early help episode came from (step-down) and what it led to (step-up), on the one child record. */
@Resolver(() => EarlyHelpEpisodeType)
export class StepEpisodeResolver {
  @FieldResolver(() => EpisodeType, { nullable: true, description: 'Step-down: the social care episode closed with RC9.' })
  steppedDownFromEpisode(@Root() e: EarlyHelpEpisode, @GqlCtx() ctx: Ctx) {
    return e.steppedDownFromEpisodeId ? ctx.loaders.socialCareEpisodeById.load(e.steppedDownFromEpisodeId) : null;
  }

  @FieldResolver(() => AssessmentType, { nullable: true, description: 'Step-down: the authorised social care assessment attached.' })
  steppedDownAssessment(@Root() e: EarlyHelpEpisode, @GqlCtx() ctx: Ctx) {
    return e.steppedDownAssessmentId ? ctx.loaders.assessmentById.load(e.steppedDownAssessmentId) : null;
  }

  @FieldResolver(() => [ReferralType], { description: 'Step-up: the referrals (source 5D) that carried this episode to the front door.' })
  steppedUpReferrals(@Root() e: EarlyHelpEpisode, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.steppedUpReferralsByEarlyHelpEpisodeId.load(e.id);
  }
}

@Resolver(() => ReferralType)
export class ReferralEarlyHelpResolver {
  @FieldResolver(() => EarlyHelpEpisodeType, {
    nullable: true,
    description: 'A step-up (source 5D): the early help episode, with its assessment and family plan, carried to the front door.',
  })
  earlyHelpEpisode(@Root() r: Referral, @GqlCtx() ctx: Ctx) {
    return r.earlyHelpEpisodeId ? ctx.loaders.earlyHelpEpisodeById.load(r.earlyHelpEpisodeId) : null;
  }
}
