import { Arg, Args, Float, Ctx as GqlCtx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { actorOf } from '../../context';
import type { Ctx } from '../../context';
import { PageArgs } from '../../shared/graphql/pagination';
import { ChildType } from '../child/child.types';
import { FIGURES, MEASURES } from './performance.figures';
import { ReportingService } from './reporting.service';
import {
  FigureBucketType, FigureRecordConnection, FigureRecordsArgs, FigureRecordType, FigureType, MeasureBucketType, MeasureType,
  PerformanceInput, PerformanceType, WorkerCaseloadType,
} from './reporting.types';

@Resolver(() => PerformanceType)
export class PerformanceResolver {
  constructor(private readonly reporting: ReportingService) {}

  @Query(() => PerformanceType, {
    description: 'Performance figures for a period, a team or a provider: each a count with buckets that drills down to the records it '
      + 'counts (analysts: identifiers; managers: the records of their team). Team managers: their own team only. For managers, '
      + 'restricted children they are not named on are counted nowhere.',
  })
  async performance(@Arg('input') input: PerformanceInput, @GqlCtx() ctx: Ctx): Promise<PerformanceType> {
    const view = await this.reporting.view(actorOf(ctx), input, ctx.recordDenial);
    const perf = Object.assign(new PerformanceType(), view.filter, { view });
    const fields = perf as unknown as Record<string, FigureType | MeasureType>;
    for (const f of FIGURES) fields[f.name] = Object.assign(new FigureType(), { name: f.name, view });
    for (const m of MEASURES) fields[m.name] = Object.assign(new MeasureType(), { name: m.name, view });
    return perf;
  }

  @FieldResolver(() => [WorkerCaseloadType], {
    description: "Each worker's caseload at `to` (the buckets of `caseload` and `weightedCaseload`) against their cap.",
  })
  async workerCaseloads(@Root() perf: PerformanceType): Promise<WorkerCaseloadType[]> {
    return (await perf.view.summary()).workers;
  }
}

@Resolver(() => FigureType)
export class FigureResolver {
  constructor(private readonly reporting: ReportingService) {}

  @FieldResolver(() => Int, { description: 'How many records the figure counts (the sum of its buckets).' })
  async value(@Root() f: FigureType): Promise<number> {
    return (await f.view.summary()).figures.get(f.name)!.value;
  }

  @FieldResolver(() => [FigureBucketType])
  async buckets(@Root() f: FigureType): Promise<FigureBucketType[]> {
    return (await f.view.summary()).figures.get(f.name)!.buckets;
  }

  @FieldResolver(() => FigureRecordConnection, { description: 'The records counted (one bucket, or all), by record id.' })
  records(@Root() f: FigureType, @Args() { first, after }: PageArgs, @Args() { bucket }: FigureRecordsArgs, @GqlCtx() ctx: Ctx) {
    return this.reporting.records(actorOf(ctx), f.view.filter, f.name, { bucket, first, after });
  }
}

@Resolver(() => MeasureType)
export class MeasureResolver {
  @FieldResolver(() => Float, { nullable: true, description: 'Null when the figure counts nothing (a sum is then 0).' })
  async value(@Root() m: MeasureType): Promise<number | null> {
    return (await m.view.summary()).measures.get(m.name)!.value;
  }

  @FieldResolver(() => [MeasureBucketType])
  async buckets(@Root() m: MeasureType): Promise<MeasureBucketType[]> {
    return (await m.view.summary()).measures.get(m.name)!.buckets;
  }
}

@Resolver(() => FigureRecordType)
export class FigureRecordResolver {
  @FieldResolver(() => ChildType, {
    nullable: true,
    description: "The child's record (managers, within their case scope, so null for a child the team no longer holds; the view is audited).",
  })
  child(@Root() r: FigureRecordType, @GqlCtx() ctx: Ctx) {
    return r.childId ? ctx.loaders.childById.load(r.childId) : null;
  }
}
