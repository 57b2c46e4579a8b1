import DataLoader from 'dataloader';
import { IsOptional, Max, Min } from 'class-validator';
import { Args, ArgsType, Ctx as GqlCtx, Field, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { Ctx } from '../../context';
import type { Child } from '../child/child.entity';
import { ChildType } from '../child/child.types';
import type { CensusIssue } from './census.model';
import { loadCensusChildren } from './census.loader';
import { CinCensusService } from './cin-census.service';
import { CensusIssueType, FIRST_CENSUS_YEAR, LAST_CENSUS_YEAR } from './cin-census.types';
import { censusPeriod, censusYearOf, validateChild } from './rules';

@ArgsType()
export class ReturnIssuesArgs {
  @Field(() => Int, { nullable: true, description: 'The collection year ending 31 March `year`; by default the one containing today.' })
  @IsOptional()
  @Min(FIRST_CENSUS_YEAR)
  @Max(LAST_CENSUS_YEAR)
  year?: number;
}

/** Per request: one loader per collection year, so a list of children costs one batch of census queries, not one per child. */
const loadersByRequest = new WeakMap<Ctx, Map<number, DataLoader<string, CensusIssue[]>>>();

/**
 * `Child.returnIssues`: the DfE CIN census rules for one child's part of the return (no LA-wide rule), so a worker sees
 * an error on the record when it is made. The child was already scoped and its view audited by the Child type.
 */
@Resolver(() => ChildType)
export class ChildReturnIssuesResolver {
  constructor(private readonly census: CinCensusService) {}

  @FieldResolver(() => [CensusIssueType], {
    description: "The DfE CIN census errors and queries in this child's part of the return for a collection year (none when the "
      + 'child is not in it). Return-wide rules (duplicate identifiers, proportions across the council) are not shown here.',
  })
  returnIssues(@Root() child: Child, @Args() { year }: ReturnIssuesArgs, @GqlCtx() ctx: Ctx): Promise<CensusIssue[]> {
    return this.loader(ctx, year ?? censusYearOf(this.census.calendar.today())).load(child.id);
  }

  private loader(ctx: Ctx, year: number): DataLoader<string, CensusIssue[]> {
    let byYear = loadersByRequest.get(ctx);
    if (!byYear) loadersByRequest.set(ctx, (byYear = new Map()));
    let loader = byYear.get(year);
    if (!loader) {
      const period = censusPeriod(year);
      loader = new DataLoader(async (childIds) => {
        const issues = new Map<string, CensusIssue[]>();
        const calendar = this.census.calendar.workingCalendar();
        for await (const batch of loadCensusChildren(this.census.db, period, { childIds: [...childIds], batchSize: childIds.length })) {
          for (const child of batch) issues.set(child.childId, validateChild(child, period, calendar));
        }
        return childIds.map((id) => issues.get(id) ?? []);
      });
      byYear.set(year, loader);
    }
    return loader;
  }
}
