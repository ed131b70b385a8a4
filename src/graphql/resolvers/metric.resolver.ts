import 'reflect-metadata';
import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { AppContext } from '../../context';
import { averageAnnualGrowth, changePercentagePoints, periodAverage } from '../../../core/metrics';
import { checkLoadedYear, checkPeriodArgs, metricOf } from '../../services/arguments';
import { asValue, metricTable, peerComparison, serviceAreaTable, type SeriesModel } from '../metric-views';
import { toMetric } from '../mappers';
import {
  GroupInput, GrowthMethodEnum, Metric, MetricSeries, MetricTable, MetricValue, PeerComparison, ServiceAreaColumnInput, ServiceAreaTable,
  SubjectInput, YearsInput,
} from '../types/metric.types';

@Resolver(() => MetricSeries)
export class MetricSeriesResolver {
  @FieldResolver(() => MetricValue, { description: 'Change between two years in the metric\'s unit (percentage points for percent metrics).' })
  changeBetween(@Ctx() ctx: AppContext, @Root() series: SeriesModel, @Arg('from', () => Int) from: number, @Arg('to', () => Int) to: number): MetricValue {
    checkLoadedYear(ctx, from, 'changeBetween', 'from');
    checkLoadedYear(ctx, to, 'changeBetween', 'to');
    return asValue(changePercentagePoints(series._points, from, to));
  }

  @FieldResolver(() => MetricValue, { description: 'Mean of the yearly values from `from` to `to` (inclusive).' })
  periodAverage(@Ctx() ctx: AppContext, @Root() series: SeriesModel, @Arg('from', () => Int) from: number, @Arg('to', () => Int) to: number): MetricValue {
    checkPeriodArgs(ctx, 'periodAverage', from, to, true);
    return asValue(periodAverage(series._points, from, to));
  }

  @FieldResolver(() => MetricValue, { description: 'Average annual growth in % from `from` to `to` (geometric by default).' })
  averageAnnualGrowth(
    @Ctx() ctx: AppContext, @Root() series: SeriesModel, @Arg('from', () => Int) from: number, @Arg('to', () => Int) to: number,
    @Arg('method', () => GrowthMethodEnum, { defaultValue: GrowthMethodEnum.GEOMETRIC }) method: GrowthMethodEnum,
  ): MetricValue {
    checkPeriodArgs(ctx, 'averageAnnualGrowth', from, to, false);
    return asValue(averageAnnualGrowth(series._points, from, to, { method }));
  }
}

@Resolver()
export class MetricResolver {
  @Query(() => [Metric], { description: 'The metric catalogue.' })
  metrics(@Ctx() ctx: AppContext): Metric[] {
    return [...ctx.metrics.values()].map((m) => toMetric(m, ctx.snapshot));
  }

  @Query(() => Metric)
  metric(@Ctx() ctx: AppContext, @Arg('id') id: string): Metric {
    return toMetric(metricOf(ctx, id, 'id'), ctx.snapshot);
  }

  @Query(() => MetricTable, { description: 'One metric for any municipalities, regions and peer-group averages over any years, with index against a reference, year-on-year change and the period forms.' })
  async metricSeries(
    @Ctx() ctx: AppContext,
    @Arg('metric') metricId: string,
    @Arg('subjects', () => [SubjectInput]) subjectRefs: SubjectInput[],
    @Arg('years', () => YearsInput) yearsInput: YearsInput,
    @Arg('serviceArea', () => String, { nullable: true, description: 'For per-service-area metrics: a service-area code (FGK7) or grouping id (pleie_omsorg).' }) serviceArea?: string,
    @Arg('reference', () => SubjectInput, { nullable: true, description: 'Indices are value / reference × 100.' }) referenceRef?: SubjectInput,
    @Arg('needCorrected', () => Boolean, { defaultValue: false, description: 'Divide by the expenditure-need index (per-inhabitant metrics).' }) needCorrected = false,
    @Arg('inflateTo', () => Int, { nullable: true, description: 'Express amounts in this year\'s money (kommunal deflator).' }) inflateTo?: number,
  ): Promise<MetricTable> {
    return metricTable(ctx, { metric: metricId, subjects: subjectRefs, years: yearsInput, serviceArea, reference: referenceRef, needCorrected, inflateTo });
  }

  @Query(() => PeerComparison, { description: 'A metric across a peer group for one year: weighted and unweighted averages, every member ranked with its index (weighted average = 100), highest and lowest.' })
  async peerComparison(
    @Ctx() ctx: AppContext,
    @Arg('metric') metricId: string,
    @Arg('year', () => Int) year: number,
    @Arg('peerGroup', () => String, { nullable: true, description: 'A peer group id or name (shipped or saved). Give this or group.' }) peerGroupRef?: string,
    @Arg('group', () => GroupInput, { nullable: true, description: 'A peer group of your own, given here: its members are ranked and averaged.' }) group?: GroupInput,
    @Arg('highlight', () => [String], { nullable: true, description: 'Municipalities to return separately, e.g. ["Bærum", "Asker"].' }) highlight?: string[],
    @Arg('serviceArea', () => String, { nullable: true }) serviceArea?: string,
  ): Promise<PeerComparison> {
    return peerComparison(ctx, { metric: metricId, peerGroup: peerGroupRef, group, year, highlight, serviceArea });
  }

  @Query(() => ServiceAreaTable, { description: 'Net operating expenditure per inhabitant by service-area grouping, optionally corrected for expenditure need and inflated to one year\'s money, with each grouping\'s share of the total — the report\'s service-area table in one query.' })
  async serviceAreaTable(
    @Ctx() ctx: AppContext,
    @Arg('columns', () => [ServiceAreaColumnInput], { description: 'One column per subject and year, e.g. Bærum 2022, Bærum 2023, ASSS u/Oslo 2024.' }) columns: ServiceAreaColumnInput[],
    @Arg('metric', { defaultValue: 'netto_driftsutgifter_per_innbygger' }) metricId: string,
    @Arg('needCorrected', () => Boolean, { nullable: true, description: 'Divide by the expenditure-need index. Default: true when the need index is real, false while it holds demo values (warehouseStatus.curatedInputs).' }) needCorrected?: boolean | null,
    @Arg('inflateTo', () => Int, { nullable: true }) inflateTo?: number,
  ): Promise<ServiceAreaTable> {
    return serviceAreaTable(ctx, { columns, metric: metricId, needCorrected, inflateTo });
  }
}

