import { Arg, Ctx as GqlCtx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { actorOf } from '../../context';
import type { Ctx } from '../../context';
import type { Child } from '../child/child.entity';
import { ChildType } from '../child/child.types';
import { WorkerType } from '../front-door/front-door.types';
import type { Visit } from './visit.entity';
import { VisitService } from './visit.service';
import { RecordVisitInput, VisitRecordType, VisitStatusType } from './visit.types';

@Resolver(() => VisitRecordType)
export class VisitResolver {
  constructor(private readonly visits: VisitService) {}

  @Mutation(() => VisitRecordType, { description: 'Record a visit to a child (a record of fact: visits are never updated).' })
  recordVisit(@Arg('input') input: RecordVisitInput, @GqlCtx() ctx: Ctx) {
    return this.visits.recordVisit(actorOf(ctx), input);
  }

  @FieldResolver(() => WorkerType, { nullable: true, description: 'Who recorded the visit.' })
  recordedBy(@Root() visit: Visit, @GqlCtx() ctx: Ctx) {
    return visit.createdById ? ctx.loaders.workerById.load(visit.createdById) : null;
  }
}

/** The visit parts of a child's record. */
@Resolver(() => ChildType)
export class ChildVisitResolver {
  constructor(private readonly visitService: VisitService) {}

  @FieldResolver(() => [VisitRecordType], { description: 'Visits to the child, newest first.' })
  visits(@Root() child: Child, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.visitsByChildId.load(child.id);
  }

  @FieldResolver(() => VisitRecordType, { nullable: true, description: 'The most recent visit (the first of `visits`).' })
  latestVisit(@Root() child: Child, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.latestVisitByChildId.load(child.id);
  }

  @FieldResolver(() => VisitStatusType, { description: 'When the child must next be seen under the active plan.' })
  async visitStatus(@Root() child: Child, @GqlCtx() ctx: Ctx): Promise<VisitStatusType> {
    return this.visitService.visitStatus(await ctx.loaders.visitClockByChildId.load(child.id));
  }
}
