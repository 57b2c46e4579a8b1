import { Arg, Ctx as GqlCtx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { actorOf } from '../../context';
import type { Ctx } from '../../context';
import { AddBankHolidayInput, BankHolidayType, CalendarService } from './calendar.service';

@Resolver()
export class CalendarResolver {
  constructor(private readonly calendar: CalendarService) {}

  @Query(() => [BankHolidayType], { description: 'England and Wales bank holidays in a year, as Haven counts working days.' })
  bankHolidays(@Arg('year', () => Int) year: number) {
    return this.calendar.list(year);
  }

  @Mutation(() => BankHolidayType, { description: 'Add a newly announced one-off bank holiday (administrators).' })
  addBankHoliday(@Arg('input') input: AddBankHolidayInput, @GqlCtx() ctx: Ctx) {
    return this.calendar.add(actorOf(ctx), input);
  }
}
