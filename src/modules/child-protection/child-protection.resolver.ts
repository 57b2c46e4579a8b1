import { Arg, Ctx as GqlCtx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { actorOf } from '../../context';
import type { Ctx } from '../../context';
import { Urgency } from '../../shared/graphql/enums';
import type { CalendarService } from '../calendar/calendar.service';
import { ChildType } from '../child/child.types';
import type { Child } from '../child/child.entity';
import { WorkerType } from '../front-door/front-door.types';
import { urgencyFor } from '../plan/plan.rules';
import { ChildProtectionConference, Section47, Section47Status } from './child-protection.entity';
import { ChildProtectionService } from './child-protection.service';
import {
  ChildProtectionConferenceType, ConcludeSection47Input, RecordChildProtectionConferenceInput, RecordStrategyDiscussionInput,
  Section47Type, StartSection47Input, StrategyDiscussionType,
} from './child-protection.types';

@Resolver(() => StrategyDiscussionType)
export class StrategyDiscussionResolver {
  constructor(private readonly cp: ChildProtectionService) {}

  @Mutation(() => StrategyDiscussionType, { description: 'Record a strategy discussion (at least two agencies) and its decision.' })
  recordStrategyDiscussion(@Arg('input') input: RecordStrategyDiscussionInput, @GqlCtx() ctx: Ctx) {
    return this.cp.recordStrategyDiscussion(actorOf(ctx), input);
  }
}

@Resolver(() => Section47Type)
export class Section47Resolver {
  constructor(
    private readonly cp: ChildProtectionService,
    private readonly calendar: CalendarService,
  ) {}

  @Mutation(() => Section47Type, { description: 'Start the section 47 enquiry a strategy discussion decided on.' })
  startSection47(@Arg('input') input: StartSection47Input, @GqlCtx() ctx: Ctx) {
    return this.cp.startSection47(actorOf(ctx), input);
  }

  @Mutation(() => Section47Type, { description: 'Conclude an enquiry without an initial conference, with the reason.' })
  concludeSection47(@Arg('input') input: ConcludeSection47Input, @GqlCtx() ctx: Ctx) {
    return this.cp.concludeSection47(actorOf(ctx), input);
  }

  @FieldResolver(() => Urgency, { nullable: true, description: 'While open: how urgent the initial conference is (by the ICPC target).' })
  dueStatus(@Root() s47: Section47) {
    return s47.status === Section47Status.OPEN ? urgencyFor(this.calendar, s47.icpcTargetDate, this.calendar.today()) : null;
  }
}

@Resolver(() => ChildProtectionConferenceType)
export class ConferenceResolver {
  constructor(private readonly cp: ChildProtectionService) {}

  @Mutation(() => ChildProtectionConferenceType, { description: 'Record an initial or review child protection conference (the chair is you).' })
  recordChildProtectionConference(@Arg('input') input: RecordChildProtectionConferenceInput, @GqlCtx() ctx: Ctx) {
    return this.cp.recordConference(actorOf(ctx), input);
  }

  @FieldResolver(() => Boolean, { nullable: true, description: 'Held on or before the date it was due.' })
  onTime(@Root() conference: ChildProtectionConference) {
    return conference.dueBy ? conference.heldOn <= conference.dueBy : null;
  }

  @FieldResolver(() => WorkerType, { nullable: true })
  chair(@Root() conference: ChildProtectionConference, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.workerById.load(conference.chairId);
  }
}

@Resolver(() => ChildType)
export class ChildProtectionChildResolver {
  @FieldResolver(() => [StrategyDiscussionType], { description: 'Newest first.' })
  strategyDiscussions(@Root() child: Child, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.strategyDiscussionsByChildId.load(child.id);
  }

  @FieldResolver(() => [Section47Type], { description: 'Section 47 enquiries, newest first.' })
  section47s(@Root() child: Child, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.section47sByChildId.load(child.id);
  }

  @FieldResolver(() => [ChildProtectionConferenceType], { description: 'Child protection conferences, newest first.' })
  conferences(@Root() child: Child, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.conferencesByChildId.load(child.id);
  }
}
