import { Arg, Ctx as GqlCtx, Query, Resolver } from 'type-graphql';
import { actorOf } from '../../context';
import type { Ctx } from '../../context';
import { AnnexAService } from './annex-a.service';
import { AnnexAExportType, AnnexAInput } from './annex-a.types';

@Resolver()
export class AnnexAResolver {
  constructor(private readonly annexAService: AnnexAService) {}

  @Query(() => AnnexAExportType, {
    description: 'An Ofsted Annex A list (1 to 7) for a window, as rows and as CSV; every export is audited.',
  })
  annexA(@Arg('input', () => AnnexAInput) input: AnnexAInput, @GqlCtx() ctx: Ctx) {
    return this.annexAService.export(actorOf(ctx), input);
  }
}
