import { Arg, Args, Ctx as GqlCtx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { actorOf } from '../../context';
import type { Ctx } from '../../context';
import { notFound } from '../../shared/errors';
import { PageArgs } from '../../shared/graphql/pagination';
import type { Provider } from '../identity/identity.entity';
import type { CalendarService } from '../calendar/calendar.service';
import { ProviderService } from './provider.service';
import {
  AddProviderContractInput, CreateProviderAccountInput, CreateProviderInput, DataSharingAgreementType, ProviderAccountType, ProviderArgs,
  ProviderCapacityType, ProviderConnection, ProviderContractType, ProviderType, SetDataSharingAgreementInput, UpdateProviderContractInput,
} from './provider.types';

@Resolver(() => ProviderType)
export class ProviderResolver {
  constructor(
    private readonly service: ProviderService,
    private readonly calendar: CalendarService,
  ) {}

  @Query(() => ProviderType, {
    nullable: true,
    description: 'A provider, or NOT_FOUND when it does not exist or may not be seen (provider staff see only their own).',
  })
  async provider(@Args() { id }: ProviderArgs, @GqlCtx() ctx: Ctx) {
    const provider = await ctx.loaders.providerById.load(id);
    if (!provider) {
      await ctx.recordDenial({ action: 'provider.viewed', entity: 'provider', entityId: id });
      throw notFound();
    }
    return provider;
  }

  @Query(() => ProviderConnection, { description: 'Providers by name (provider staff: their own organisation only).' })
  providers(@Args() { first, after }: PageArgs, @GqlCtx() ctx: Ctx) {
    return this.service.list(actorOf(ctx), first, after);
  }

  @Mutation(() => ProviderType)
  createProvider(@Arg('input') input: CreateProviderInput, @GqlCtx() ctx: Ctx) {
    return this.service.createProvider(actorOf(ctx), input);
  }

  @Mutation(() => ProviderContractType)
  addProviderContract(@Arg('input') input: AddProviderContractInput, @GqlCtx() ctx: Ctx) {
    return this.service.addContract(actorOf(ctx), input);
  }

  @Mutation(() => ProviderContractType, { description: 'Change a contract’s end date or capacity.' })
  updateProviderContract(@Arg('input') input: UpdateProviderContractInput, @GqlCtx() ctx: Ctx) {
    return this.service.updateContract(actorOf(ctx), input);
  }

  @Mutation(() => DataSharingAgreementType, { description: 'Record a new data sharing agreement with a provider (earlier ones are kept).' })
  setDataSharingAgreement(@Arg('input') input: SetDataSharingAgreementInput, @GqlCtx() ctx: Ctx) {
    return this.service.setAgreement(actorOf(ctx), input);
  }

  @Mutation(() => ProviderAccountType, { description: "An account for a provider's staff member, or for its own case system." })
  createProviderAccount(@Arg('input') input: CreateProviderAccountInput, @GqlCtx() ctx: Ctx) {
    return this.service.createAccount(actorOf(ctx), input);
  }

  @FieldResolver(() => [ProviderContractType], { description: 'Newest first.' })
  contracts(@Root() provider: Provider, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.providerContractsByProviderId.load(provider.id);
  }

  @FieldResolver(() => DataSharingAgreementType, { nullable: true, description: 'The agreement in force today (null: nothing is shared).' })
  currentAgreement(@Root() provider: Provider, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.providerAgreementOn.load({ providerId: provider.id, today: this.calendar.today() });
  }

  @FieldResolver(() => ProviderCapacityType)
  async capacity(@Root() provider: Provider, @GqlCtx() ctx: Ctx) {
    return ctx.loaders.providerCapacityOn.load({ providerId: provider.id, today: this.calendar.today() });
  }
}
