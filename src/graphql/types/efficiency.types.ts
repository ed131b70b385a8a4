import 'reflect-metadata';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { ServiceAreaGrouping } from './dimension.types';
import { Metric, Subject } from './metric.types';

@ObjectType({ description: 'One volume of a service\'s production and its weight (core/metrics/production.json).' })
export class EfficiencyVolume {
  @Field(() => Metric, { description: 'A count per 1000 inhabitants (e.g. legeaarsverk_per_1000).' })
  metric: Metric;

  @Field(() => Float, { description: 'How many units of the service\'s production one unit of this volume counts as.' })
  weight: number;
}

@ObjectType({ description: 'Production, cost and efficiency of a subject against the reference in one year. Indices: the reference = 100.' })
export class EfficiencyPoint {
  @Field(() => Int)
  year: number;

  @Field(() => Float, { nullable: true, description: 'Production per 1000 inhabitants (Σ weight × volume per 1000 inhabitants) / the reference\'s × 100.' })
  productionIndex: number | null;

  @Field(() => Float, { nullable: true, description: 'Gross operating expenditure per inhabitant / the reference\'s × 100.' })
  costIndex: number | null;

  @Field(() => Float, { nullable: true, description: 'productionIndex / costIndex × 100 = the reference\'s unit cost / the subject\'s × 100. Above 100: more produced per krone than the reference.' })
  efficiency: number | null;

  @Field(() => Float, { nullable: true, description: 'The subject\'s production per 1000 inhabitants (Σ weight × volume per 1000 inhabitants); null on combined points.' })
  production: number | null;

  @Field(() => Float, { nullable: true, description: 'The reference\'s production per 1000 inhabitants; null on combined points.' })
  referenceProduction: number | null;

  @Field(() => Float, { nullable: true, description: 'The subject\'s gross operating expenditure in NOK per inhabitant (divided by the need index when need-corrected); null on combined points.' })
  cost: number | null;

  @Field(() => Float, { nullable: true, description: 'The reference\'s gross operating expenditure in NOK per inhabitant; null on combined points.' })
  referenceCost: number | null;

  @Field(() => Float, { nullable: true, description: 'Services: the weight in the combined figures (the reference\'s cost per inhabitant / Σ over the services). Combined: 1.' })
  weight: number | null;

  @Field(() => String, { nullable: true, description: 'Why an index is null.' })
  reason: string | null;
}

@ObjectType({ description: 'One service of the efficiency analysis over the years asked for.' })
export class EfficiencyService {
  @Field(() => ServiceAreaGrouping)
  grouping: ServiceAreaGrouping;

  @Field(() => [EfficiencyVolume])
  volumes: EfficiencyVolume[];

  @Field(() => [EfficiencyPoint], { description: 'One point per year, in year order.' })
  points: EfficiencyPoint[];
}

@ObjectType({ description: 'The report\'s "Ressursbruk, produksjon og effektivitet": per service and combined, production, gross operating expenditure and efficiency of a subject against a reference (a peer group\'s average), per year.' })
export class EfficiencyTable {
  @Field(() => Subject)
  subject: Subject;

  @Field(() => Subject, { description: 'What the indices are against (100).' })
  reference: Subject;

  @Field(() => [Int])
  years: number[];

  @Field({ description: 'Volumes and costs divided by each service\'s expenditure-need index. Efficiency of one service does not change with it (both indices move alike); the production and cost indices and the combined weights do.' })
  needCorrected: boolean;

  @Field(() => Metric, { description: 'The cost metric, read for each service\'s functions.' })
  costMetric: Metric;

  @Field(() => [EfficiencyService])
  services: EfficiencyService[];

  @Field(() => [EfficiencyPoint], { description: 'The combined figures over the services, each weighted by the reference\'s cost per inhabitant: the combined cost index is total cost per inhabitant against the reference\'s.' })
  combined: EfficiencyPoint[];

  @Field(() => [String], { description: 'What to know before using these numbers.' })
  warnings: string[];

  @Field(() => [String], { description: 'Curated inputs with demo (synthetic) values that these numbers used: need-index.' })
  demoInputs: string[];
}
