import 'reflect-metadata';
// Types of plain data declare simpleResolvers: without it type-graphql wraps every field of every row in a resolver
// with a middleware runner, a cost paid on every field of a 1 000-row page. (Not for types with field middleware.)
import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Municipality, PeerGroup, ServiceAreaGrouping } from './dimension.types';
import { AggregationEnum, DateTime, MetricUnitEnum, SubjectKindEnum, type AggregationValue, type MetricUnitValue, type SubjectKind } from './vocabulary.types';

export enum AverageModeEnum {
  WEIGHTED = 'weighted',
  UNWEIGHTED = 'unweighted',
}
registerEnumType(AverageModeEnum, {
  name: 'AverageMode',
  description: 'WEIGHTED: Σ numerator / Σ denominator over the members (the KOSTRA/Framsikt convention). UNWEIGHTED: the mean of the members\' values (ASSS resource-index style).',
});

export enum GrowthMethodEnum {
  GEOMETRIC = 'geometric',
  MEAN_OF_YEAR_ON_YEAR = 'meanOfYearOnYear',
}
registerEnumType(GrowthMethodEnum, { name: 'GrowthMethod' });

@InputType({ description: 'A peer group of the analyst\'s own, given with the query: "the five neighbours", "municipalities of our size".' })
export class GroupInput {
  @Field({ description: 'How answers name the group, e.g. "Nabokommuner".' })
  name: string;

  @Field(() => [String], { description: 'Its municipalities: names, stable keys or any of their codes (2 to 100).' })
  members: string[];
}

@InputType({ description: 'What to compute a metric for: exactly one of municipality, region, peerGroup or group.' })
export class SubjectInput {
  @Field(() => String, { nullable: true, description: 'Name, stable key or any code (current or historic), e.g. "Bærum", "3201", "0219".' })
  municipality?: string;

  @Field(() => String, { nullable: true, description: 'An SSB region code or name taken as it is: EAK (Landet), EAKUO, EKG12, or one specific code.' })
  region?: string;

  @Field(() => String, { nullable: true, description: 'A peer group id or name (the shipped ones, or one saved with savePeerGroup): its average.' })
  peerGroup?: string;

  @Field(() => GroupInput, { nullable: true, description: 'A peer group given here and now: its average, like a saved one.' })
  group?: GroupInput;

  @Field(() => AverageModeEnum, { nullable: true, description: 'For peerGroup or group; default WEIGHTED.' })
  average?: AverageModeEnum;

  @Field(() => String, { nullable: true, description: 'For peerGroup or group: leave this municipality out ("excluding self").' })
  excluding?: string;
}

@InputType({ description: 'Years: a list, or an inclusive range.' })
export class YearsInput {
  @Field(() => [Int], { nullable: true })
  list?: number[];

  @Field(() => Int, { nullable: true })
  from?: number;

  @Field(() => Int, { nullable: true })
  to?: number;
}

@ObjectType({ simpleResolvers: true, description: 'A computed value; null with the reason when it cannot be computed (never 0).' })
export class MetricValue {
  @Field(() => Float, { nullable: true })
  value: number | null;

  @Field(() => String, { nullable: true })
  reason?: string | null;
}

@ObjectType({ simpleResolvers: true })
export class Subject {
  @Field(() => SubjectKindEnum)
  kind: SubjectKind;

  @Field()
  id: string;

  @Field()
  name: string;

  @Field(() => [String], { description: 'For a group: the municipality keys in it (in the last year asked for).' })
  members: string[];
}

@ObjectType({ simpleResolvers: true })
export class MetricPoint {
  @Field(() => Int)
  year: number;

  @Field(() => Float, { nullable: true })
  value: number | null;

  @Field(() => String, { nullable: true, description: 'Why value is null.' })
  reason: string | null;

  @Field(() => Float, { nullable: true, description: 'value rounded to the metric\'s decimals, as SSB and the report publish it.' })
  rounded: number | null;

  @Field(() => Float, { nullable: true, description: 'value / reference × 100 (the reference = 100), when a reference was given.' })
  index: number | null;

  @Field(() => Float, { nullable: true, description: 'value − reference (percentage points for percent metrics), when a reference was given.' })
  differenceFromReference: number | null;

  @Field(() => Float, { nullable: true, description: 'Change from the previous year in % (for amounts; year-on-year growth).' })
  changePct: number | null;

  @Field(() => Float, { nullable: true, description: 'Change from the previous year in the metric\'s own unit (percentage points for percent metrics).' })
  change: number | null;

  @Field(() => Float, { nullable: true, description: 'Share of the total across the service-area groupings (service-area tables only).' })
  sharePct?: number | null;
}

@ObjectType({ simpleResolvers: true, description: 'One metric over years for one subject, with the derived forms.' })
export class MetricSeries {
  @Field(() => Subject)
  subject: Subject;

  @Field(() => [MetricPoint])
  points: MetricPoint[];
}

@ObjectType({ simpleResolvers: true, description: 'A metric from the catalogue (core/metrics/metrics.json).' })
export class Metric {
  @Field()
  id: string;

  @Field()
  label: string;

  @Field()
  description: string;

  @Field(() => MetricUnitEnum)
  unit: MetricUnitValue;

  @Field(() => Int)
  decimals: number;

  @Field(() => AggregationEnum, { description: 'How a group is averaged by default.' })
  aggregation: AggregationValue;

  @Field()
  serviceAreaScoped: boolean;

  @Field({ description: 'The formula as text, e.g. "netto_driftsresultat / bdi × 100".' })
  formula: string;

  @Field(() => [String], { description: 'Indicator keys the formula reads.' })
  inputs: string[];

  @Field(() => String, { nullable: true, description: 'The indicator holding SSB\'s own published figure of this metric, when SSB publishes one: the warehouse recomputes the metric wherever SSB publishes it and compares (reconciliation).' })
  publishedAs: string | null;

  @Field(() => Reconciliation, { nullable: true, description: 'The latest comparison with SSB\'s published figure (null when SSB publishes none or nothing was compared yet).' })
  reconciliation: Reconciliation | null;
}

@ObjectType({ simpleResolvers: true, description: 'One published figure the warehouse computes differently from SSB.' })
export class Disagreement {
  @Field()
  region: string;

  @Field(() => Int)
  year: number;

  @Field(() => String, { nullable: true })
  serviceArea: string | null;

  @Field(() => Float)
  published: number;

  @Field(() => Float)
  computed: number;
}

@ObjectType({ simpleResolvers: true, description: 'A metric recomputed wherever SSB publishes it and compared at SSB\'s precision (half a unit of the last published decimal).' })
export class Reconciliation {
  @Field()
  metric: string;

  @Field({ description: 'The indicator holding SSB\'s figure.' })
  published: string;

  @Field({ description: 'The SSB table of the published figure.' })
  table: string;

  @Field(() => Int)
  checked: number;

  @Field(() => Int)
  agreed: number;

  @Field(() => Float, { nullable: true, description: 'agreed / checked × 100; null when nothing could be checked.' })
  agreementPct: number | null;

  @Field(() => Int, { description: 'Published figures the warehouse could not recompute (an input missing or suppressed).' })
  notComputable: number;

  @Field(() => Float)
  tolerance: number;

  @Field({ description: 'The ETL run that compared.' })
  runId: string;

  @Field(() => DateTime)
  checkedAt: string;

  @Field(() => [Disagreement], { description: 'The largest disagreements, largest first.' })
  worst: Disagreement[];
}

@ObjectType({ simpleResolvers: true })
export class MetricTable {
  @Field(() => Metric)
  metric: Metric;

  @Field(() => [Int])
  years: number[];

  @Field(() => String, { nullable: true, description: 'Service area or grouping the values are for.' })
  serviceArea: string | null;

  @Field()
  needCorrected: boolean;

  @Field(() => Int, { nullable: true, description: 'Values are in this year\'s money (kommunal deflator).' })
  inflatedTo: number | null;

  @Field(() => [MetricSeries])
  series: MetricSeries[];

  @Field(() => MetricSeries, { nullable: true, description: 'The reference series the indices are against.' })
  reference: MetricSeries | null;

  @Field(() => [String], { description: 'What to know before using these numbers: e.g. the metric disagrees with SSB\'s published figure too often.' })
  warnings: string[];

  @Field(() => [String], { description: 'Curated inputs with demo (synthetic) values that these numbers used: need-index, deflator.' })
  demoInputs: string[];
}

@ObjectType({ simpleResolvers: true })
export class RankedMember {
  @Field(() => Municipality)
  municipality: Municipality;

  @Field(() => Float, { nullable: true })
  value: number | null;

  @Field(() => String, { nullable: true })
  reason: string | null;

  @Field(() => Float, { nullable: true, description: 'value rounded to the metric\'s decimals.' })
  rounded: number | null;

  @Field(() => Int, { nullable: true, description: '1 = highest; ties share a rank (1, 1, 3).' })
  rank: number | null;

  @Field(() => Float, { nullable: true, description: 'value / the group\'s weighted average × 100.' })
  index: number | null;

  @Field(() => Int, { nullable: true, description: 'index rounded to a whole number, as in the report\'s index table.' })
  indexRounded: number | null;

  @Field(() => Float, { nullable: true, description: 'value − the group\'s weighted average.' })
  differenceFromAverage: number | null;
}

@ObjectType({ simpleResolvers: true, description: 'A metric across a peer group\'s members for one year: averages, ranks, highest and lowest.' })
export class PeerComparison {
  @Field(() => Metric)
  metric: Metric;

  @Field(() => PeerGroup)
  peerGroup: PeerGroup;

  @Field(() => Int)
  year: number;

  @Field(() => MetricValue, { description: 'Σ numerator / Σ denominator over the members (index 100).' })
  weightedAverage: MetricValue;

  @Field(() => MetricValue, { description: 'Mean of the members\' values.' })
  unweightedMean: MetricValue;

  @Field(() => RankedMember, { nullable: true })
  highest: RankedMember | null;

  @Field(() => RankedMember, { nullable: true })
  lowest: RankedMember | null;

  @Field(() => [RankedMember], { description: 'Every member, highest first.' })
  members: RankedMember[];

  @Field(() => [RankedMember], { description: 'The municipalities asked for in `highlight`, in that order.' })
  highlighted: RankedMember[];

  @Field(() => [String], { description: 'What to know before using these numbers.' })
  warnings: string[];

  @Field(() => [String], { description: 'Curated inputs with demo (synthetic) values that these numbers used.' })
  demoInputs: string[];
}

@ObjectType({ simpleResolvers: true })
export class ServiceAreaCell {
  @Field(() => Subject)
  subject: Subject;

  @Field(() => Int)
  year: number;

  @Field(() => Float, { nullable: true })
  value: number | null;

  @Field(() => String, { nullable: true })
  reason: string | null;

  @Field(() => Float, { nullable: true, description: 'Share of the total of the top-level groupings, in %.' })
  sharePct: number | null;
}

@ObjectType({ simpleResolvers: true })
export class ServiceAreaTableRow {
  @Field(() => ServiceAreaGrouping)
  grouping: ServiceAreaGrouping;

  @Field(() => [ServiceAreaCell], { description: 'One cell per column (subject × year), in column order.' })
  cells: ServiceAreaCell[];
}

@ObjectType({ simpleResolvers: true, description: 'Net operating expenditure per inhabitant by service-area grouping (the report\'s table).' })
export class ServiceAreaTable {
  @Field(() => Metric)
  metric: Metric;

  @Field()
  needCorrected: boolean;

  @Field(() => Int, { nullable: true })
  inflatedTo: number | null;

  @Field(() => [ServiceAreaTableRow])
  rows: ServiceAreaTableRow[];

  @Field(() => [ServiceAreaCell], { description: 'The total of the top-level groupings per column.' })
  totals: ServiceAreaCell[];

  @Field(() => [String], { description: 'What to know before using these numbers.' })
  warnings: string[];

  @Field(() => [String], { description: 'Curated inputs with demo (synthetic) values that these numbers used: need-index, deflator.' })
  demoInputs: string[];
}

@InputType({ description: 'One column of the service-area table: a subject in a year.' })
export class ServiceAreaColumnInput {
  @Field(() => SubjectInput)
  subject: SubjectInput;

  @Field(() => Int)
  year: number;
}
