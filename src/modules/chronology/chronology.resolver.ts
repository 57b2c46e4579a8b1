import { Args, Ctx as GqlCtx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { actorOf } from '../../context';
import type { Ctx } from '../../context';
import { PageArgs } from '../../shared/graphql/pagination';
import { WorkerType } from '../front-door/front-door.types';
import { ChronologyService } from './chronology.service';
import { ChronologyArgs, ChronologyConnection, ChronologyEventType } from './chronology.types';

@Resolver(() => ChronologyEventType)
export class ChronologyResolver {
  constructor(private readonly chronologyService: ChronologyService) {}

  @Query(() => ChronologyConnection, { description: "The child's events across everything recorded, newest first." })
  chronology(@Args() { childId }: ChronologyArgs, @Args() { first, after }: PageArgs, @GqlCtx() ctx: Ctx) {
    return this.chronologyService.page(actorOf(ctx), ctx.loaders.views, childId, first, after);
  }

  @FieldResolver(() => WorkerType, { nullable: true, description: 'Who recorded or did it.' })
  recordedBy(@Root() e: ChronologyEventType, @GqlCtx() ctx: Ctx) {
    return e.actorId ? ctx.loaders.workerById.load(e.actorId) : null;
  }
}
