import { Args, Ctx as GqlCtx, Query, Resolver } from 'type-graphql';
import { actorOf } from '../../context';
import type { Ctx } from '../../context';
import { CinCensusService } from './cin-census.service';
import { CinCensusArgs, CinCensusType } from './cin-census.types';

@Resolver()
export class CinCensusResolver {
  constructor(private readonly census: CinCensusService) {}

  @Query(() => CinCensusType, {
    description: 'The CIN census return for the collection year ending 31 March `year`, with the DfE validation issues found in it. '
      + 'Every call is an audited export.',
  })
  cinCensus(@Args() { year }: CinCensusArgs, @GqlCtx() ctx: Ctx): Promise<CinCensusType> {
    return this.census.census(actorOf(ctx), year);
  }
}
