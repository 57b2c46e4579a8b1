import { Arg, Args, Ctx as GqlCtx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { actorOf } from '../../context';
import type { Ctx } from '../../context';
import type { Child } from '../child/child.entity';
import { ChildType } from '../child/child.types';
import { WorkerType } from '../front-door/front-door.types';
import { SupervisionService } from './supervision.service';
import {
  ManagementDecisionType, RecordManagementDecisionInput, RecordSupervisionInput, SupervisionEntryType, SupervisionRecordType,
  SupervisionStatusType, TeamSupervisionArgs, WorkerSupervisionStatusType,
} from './supervision.types';

@Resolver(() => SupervisionRecordType)
export class SupervisionResolver {
  constructor(private readonly supervision: SupervisionService) {}

  @Mutation(() => SupervisionRecordType, {
    description: "Record a supervision session held by the actor with a worker, and the cases discussed (each on its child's record).",
  })
  recordSupervision(@Arg('input') input: RecordSupervisionInput, @GqlCtx() ctx: Ctx) {
    return this.supervision.recordSupervision(actorOf(ctx), input);
  }

  @Query(() => SupervisionStatusType, { description: 'When my next supervision is due.' })
  mySupervision(@GqlCtx() ctx: Ctx) {
    return this.supervision.mySupervision(actorOf(ctx));
  }

  @Query(() => [WorkerSupervisionStatusType], {
    description: "Every worker of a team and when their supervision is due (team managers: their own team only).",
  })
  teamSupervision(@Args() { teamId }: TeamSupervisionArgs, @GqlCtx() ctx: Ctx) {
    return this.supervision.teamSupervision(actorOf(ctx), teamId, ctx.recordDenial);
  }

  @FieldResolver(() => WorkerType, { nullable: true })
  supervisor(@Root() s: SupervisionRecordType, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.workerById.load(s.supervisorId);
  }

  @FieldResolver(() => WorkerType, { nullable: true })
  supervisee(@Root() s: SupervisionRecordType, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.workerById.load(s.superviseeId);
  }
}

@Resolver(() => SupervisionEntryType)
export class SupervisionEntryResolver {
  @FieldResolver(() => WorkerType, { nullable: true })
  supervisor(@Root() e: SupervisionEntryType, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.workerById.load(e.supervisorId);
  }

  @FieldResolver(() => WorkerType, { nullable: true })
  supervisee(@Root() e: SupervisionEntryType, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.workerById.load(e.superviseeId);
  }
}

@Resolver(() => ManagementDecisionType)
export class ManagementDecisionResolver {
  constructor(private readonly supervision: SupervisionService) {}

  @Mutation(() => ManagementDecisionType, { description: "Record a management decision on a child's record (a record of fact)." })
  recordManagementDecision(@Arg('input') input: RecordManagementDecisionInput, @GqlCtx() ctx: Ctx) {
    return this.supervision.recordManagementDecision(actorOf(ctx), input);
  }

  @FieldResolver(() => WorkerType, { nullable: true, description: 'The manager who decided (whoever recorded it).' })
  decidedBy(@Root() d: ManagementDecisionType, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.workerById.load(d.decidedById);
  }
}

/** The management oversight parts of a child's record. */
@Resolver(() => ChildType)
export class ChildOversightResolver {
  @FieldResolver(() => [SupervisionEntryType], { description: 'Where the child was discussed in supervision, newest first.' })
  supervisionEntries(@Root() child: Child, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.supervisionEntriesByChildId.load(child.id);
  }

  @FieldResolver(() => [ManagementDecisionType], { description: 'Management decisions on the case, newest first.' })
  managementDecisions(@Root() child: Child, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.managementDecisionsByChildId.load(child.id);
  }
}
