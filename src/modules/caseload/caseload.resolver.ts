import { Args, Ctx as GqlCtx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { actorOf } from '../../context';
import type { Ctx } from '../../context';
import { PageArgs } from '../../shared/graphql/pagination';
import { urgencyOf, Urgency } from '../../shared/clock/timescales';
import type { CalendarService } from '../calendar/calendar.service';
import { ChildType } from '../child/child.types';
import { EarlyHelpEpisodeType } from '../early-help/early-help.types';
import { CaseloadService } from './caseload.service';
import { CaseloadConnection, CaseloadItemType, DueItemType, TeamCaseloadArgs } from './caseload.types';

@Resolver(() => CaseloadItemType)
export class CaseloadResolver {
  constructor(
    private readonly caseloads: CaseloadService,
    private readonly calendar: CalendarService,
  ) {}

  @Query(() => CaseloadConnection, {
    description: 'Children allocated to me and children of the early help episodes I lead (in work), most urgent first.',
  })
  myCaseload(@Args() { first, after }: PageArgs, @GqlCtx() ctx: Ctx) {
    const actor = actorOf(ctx);
    return this.caseloads.caseload(actor, { workerId: actor.id }, first, after);
  }

  @Query(() => CaseloadConnection, { description: "A team's children, most urgent first (managers and the front door)." })
  teamCaseload(@Args() { teamId }: TeamCaseloadArgs, @Args() { first, after }: PageArgs, @GqlCtx() ctx: Ctx) {
    return this.caseloads.caseload(actorOf(ctx), { teamId }, first, after);
  }

  @FieldResolver(() => ChildType, { nullable: true })
  child(@Root() item: CaseloadItemType, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.childById.load(item.childId);
  }

  @FieldResolver(() => EarlyHelpEpisodeType, { nullable: true, description: 'The early help episode I lead for this child, if any.' })
  earlyHelpEpisode(@Root() item: CaseloadItemType, @GqlCtx() ctx: Ctx) {
    return item.earlyHelpEpisodeId ? ctx.loaders.earlyHelpEpisodeById.load(item.earlyHelpEpisodeId) : null;
  }

  @FieldResolver(() => [DueItemType], {
    description: 'Everything due on the case (referral decisions, assessments, conferences, plan reviews, visits, early help work), '
      + 'most urgent first. Provider staff see early help work only.',
  })
  async due(@Root() item: CaseloadItemType, @GqlCtx() ctx: Ctx): Promise<DueItemType[]> {
    const today = this.calendar.today();
    const cal = this.calendar.workingCalendar();
    return (await ctx.loaders.dueByChildId.load(item.childId)).map((d) => {
      const status = urgencyOf(cal, d.dueOn, today);
      return {
        kind: d.kind,
        recordId: d.recordId,
        dueOn: d.dueOn,
        status,
        workingDaysOverdue: status === Urgency.OVERDUE ? cal.workingDaysBetween(d.dueOn, today) : 0,
      };
    });
  }
}
