import { Arg, Args, Ctx as GqlCtx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { actorOf } from '../../context';
import type { Ctx } from '../../context';
import { PageArgs } from '../../shared/graphql/pagination';
import type { CalendarService } from '../calendar/calendar.service';
import { ChildType } from '../child/child.types';
import type { Child } from '../child/child.entity';
import type { EarlyHelpEpisode, EarlyHelpReferral } from './early-help.entity';
import { EarlyHelpEpisodeType } from './early-help.types';
import { ProviderCapacityType, ProviderType } from './provider.types';
import { CommissioningService } from './commissioning.service';
import {
  AcceptEarlyHelpReferralInput, CommissionEarlyHelpInput, DeclineEarlyHelpReferralInput, EarlyHelpConcernType, EarlyHelpConsentType,
  EarlyHelpReferralDecisionPayload, EarlyHelpReferralType, EarlyHelpWaitingEntryConnection, EarlyHelpWaitingEntryType,
  EarlyHelpWaitingListArgs, RaiseEarlyHelpConcernInput, RaiseEarlyHelpConcernPayload, RecordEarlyHelpConsentInput, RequestEarlyHelpInput,
  WithdrawEarlyHelpConsentInput,
} from './commissioning.types';

/** Request for support, consent, concerns, commissioning, the provider's decision and the waiting list. */
@Resolver()
export class CommissioningResolver {
  constructor(private readonly commissioning: CommissioningService) {}

  @Mutation(() => EarlyHelpEpisodeType, { description: 'Request early help for a child or family (recorded even without consent).' })
  requestEarlyHelp(@Arg('input') input: RequestEarlyHelpInput, @GqlCtx() ctx: Ctx) {
    return this.commissioning.requestEarlyHelp(actorOf(ctx), input);
  }

  @Mutation(() => EarlyHelpConsentType)
  recordEarlyHelpConsent(@Arg('input') input: RecordEarlyHelpConsentInput, @GqlCtx() ctx: Ctx) {
    return this.commissioning.recordConsent(actorOf(ctx), input);
  }

  @Mutation(() => EarlyHelpConsentType, { description: 'Record that consent was withdrawn (the consent is kept).' })
  withdrawEarlyHelpConsent(@Arg('input') input: WithdrawEarlyHelpConsentInput, @GqlCtx() ctx: Ctx) {
    return this.commissioning.withdrawConsent(actorOf(ctx), input);
  }

  @Mutation(() => RaiseEarlyHelpConcernPayload, { description: 'A concern while the family waits or during work (retry-safe).' })
  raiseEarlyHelpConcern(@Arg('input') input: RaiseEarlyHelpConcernInput, @GqlCtx() ctx: Ctx) {
    return this.commissioning.raiseConcern(actorOf(ctx), input).then(({ value, replayed }) => ({ concern: value, replayed }));
  }

  @Mutation(() => EarlyHelpEpisodeType, { description: 'Offer a waiting family to a provider (needs consent, a contract and capacity).' })
  commissionEarlyHelp(@Arg('input') input: CommissionEarlyHelpInput, @GqlCtx() ctx: Ctx) {
    return this.commissioning.commission(actorOf(ctx), input);
  }

  @Mutation(() => EarlyHelpReferralDecisionPayload, { description: "The provider's manager accepts, naming the lead practitioner (retry-safe)." })
  acceptEarlyHelpReferral(@Arg('input') input: AcceptEarlyHelpReferralInput, @GqlCtx() ctx: Ctx) {
    return this.commissioning.accept(actorOf(ctx), input);
  }

  @Mutation(() => EarlyHelpReferralDecisionPayload, {
    description: "The provider's manager declines with a reason; the family returns to the council's waiting list (retry-safe).",
  })
  declineEarlyHelpReferral(@Arg('input') input: DeclineEarlyHelpReferralInput, @GqlCtx() ctx: Ctx) {
    return this.commissioning.decline(actorOf(ctx), input);
  }

  @Query(() => EarlyHelpWaitingEntryConnection, {
    description: 'Families from request to the start of work, longest wait first, with re-triage flags. Provider staff: their offers only.',
  })
  earlyHelpWaitingList(@Args() { providerId }: EarlyHelpWaitingListArgs, @Args() { first, after }: PageArgs, @GqlCtx() ctx: Ctx) {
    return this.commissioning.waitingList(actorOf(ctx), providerId, first, after);
  }
}

@Resolver(() => EarlyHelpEpisodeType)
export class EarlyHelpEpisodeCommissioningResolver {
  @FieldResolver(() => [EarlyHelpConsentType])
  consents(@Root() e: EarlyHelpEpisode, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.earlyHelpConsentsByEpisodeId.load(e.id);
  }

  @FieldResolver(() => [EarlyHelpReferralType], { description: 'Offers to providers, oldest first (provider staff: their own only).' })
  providerReferrals(@Root() e: EarlyHelpEpisode, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.earlyHelpReferralsByEpisodeId.load(e.id);
  }

  @FieldResolver(() => [EarlyHelpConcernType])
  concerns(@Root() e: EarlyHelpEpisode, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.earlyHelpConcernsByEpisodeId.load(e.id);
  }

  @FieldResolver(() => ProviderType, { nullable: true, description: 'The provider currently commissioned.' })
  provider(@Root() e: EarlyHelpEpisode, @GqlCtx() ctx: Ctx) {
    return e.providerId ? ctx.loaders.providerById.load(e.providerId) : null;
  }
}

@Resolver(() => EarlyHelpReferralType)
export class EarlyHelpReferralResolver {
  @FieldResolver(() => ProviderType, { nullable: true })
  provider(@Root() r: EarlyHelpReferral, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.providerById.load(r.providerId);
  }
}

@Resolver(() => EarlyHelpWaitingEntryType)
export class EarlyHelpWaitingEntryResolver {
  constructor(private readonly calendar: CalendarService) {}

  @FieldResolver(() => ProviderType, { nullable: true, description: 'The provider offered the family (null while waiting to be commissioned).' })
  provider(@Root() w: EarlyHelpWaitingEntryType, @GqlCtx() ctx: Ctx) {
    return w.providerId ? ctx.loaders.providerById.load(w.providerId) : null;
  }

  @FieldResolver(() => ProviderCapacityType, { nullable: true, description: "That provider's capacity today." })
  providerCapacity(@Root() w: EarlyHelpWaitingEntryType, @GqlCtx() ctx: Ctx) {
    return w.providerId ? ctx.loaders.providerCapacityOn.load({ providerId: w.providerId, today: this.calendar.today() }) : null;
  }
}

@Resolver(() => ChildType)
export class ChildEarlyHelpResolver {
  @FieldResolver(() => [EarlyHelpEpisodeType], { description: "The child's early help episodes the actor may see, newest first." })
  earlyHelpEpisodes(@Root() child: Child, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.earlyHelpEpisodesByChildId.load(child.id);
  }
}
