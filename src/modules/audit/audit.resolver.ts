import { Args, Ctx as GqlCtx, Query, Resolver } from 'type-graphql';
import { actorOf } from '../../context';
import type { Ctx } from '../../context';
import { PageArgs } from '../../shared/graphql/pagination';
import { AuditLogService } from './audit-log.service';
import { AuditEntryConnection, ChildAccessLogArgs } from './audit.types';

@Resolver()
export class AuditResolver {
  constructor(private readonly log: AuditLogService) {}

  @Query(() => AuditEntryConnection, { description: "Who viewed or changed the child's record, newest first." })
  childAccessLog(@Args() { childId }: ChildAccessLogArgs, @Args() { first, after }: PageArgs, @GqlCtx() ctx: Ctx) {
    return this.log.childAccessLog(actorOf(ctx), childId, first, after);
  }
}
