import 'reflect-metadata';
import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { AppContext } from '../../context';
import { efficiencyTable } from '../efficiency-view';
import { EfficiencyTable } from '../types/efficiency.types';
import { SubjectInput, YearsInput } from '../types/metric.types';

@Resolver()
export class EfficiencyResolver {
  @Query(() => EfficiencyTable, {
    description: 'Production, gross operating expenditure and efficiency per service (grunnskole, barnehage, kommunehelse, sosiale tjenester, barnevern, pleie og omsorg) and combined, '
      + 'of a subject against a reference, per year — the report\'s "Ressursbruk, produksjon og effektivitet". The method is declared in core/metrics/production.json (README, "Efficiency").',
  })
  async efficiencyTable(
    @Ctx() ctx: AppContext,
    @Arg('subject', () => SubjectInput, { description: 'Usually a municipality, e.g. { municipality: "Bærum" }.' }) subject: SubjectInput,
    @Arg('reference', () => SubjectInput, { description: 'What 100 is: a peer group\'s average, e.g. { peerGroup: "asss-u-oslo" } (weighted), or with excluding: the others.' }) reference: SubjectInput,
    @Arg('years', () => YearsInput) years: YearsInput,
    @Arg('needCorrected', () => Boolean, { nullable: true, description: 'Divide volumes and costs by each service\'s expenditure-need index. Default: true when the need index is real, false while it holds demo values.' }) needCorrected?: boolean | null,
  ): Promise<EfficiencyTable> {
    return efficiencyTable(ctx, { subject, reference, years, needCorrected });
  }
}
