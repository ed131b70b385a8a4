import 'reflect-metadata';
import { Field, Int, ObjectType, UseMiddleware } from 'type-graphql';
import { CuratedSource } from './dimension.types';
import { Reconciliation } from './metric.types';
import { DataSourceEnum, DateTime, LoadStatusEnum, RunStatusEnum, timestampOrNull } from './vocabulary.types';

// Load rows reach these types as the database reads them: status and source stay `string` here and the enums check
// them on the way out; timestamps are ISO strings that the DateTime scalar prints.

@ObjectType({ description: 'One load: one table in one ETL run.' })
export class Load {
  @Field(() => Int)
  id: number;

  @Field()
  runId: string;

  @Field()
  tableId: string;

  @Field(() => DataSourceEnum)
  source: string;

  @Field(() => LoadStatusEnum)
  status: string;

  @Field(() => DateTime)
  startedAt: string;

  @Field(() => DateTime, { nullable: true })
  finishedAt: string | null;

  @Field(() => DateTime, { nullable: true, description: 'SSB\'s `updated` of the table this load fetched (null for the curated inputs, whose change is detected by content).' })
  @UseMiddleware(timestampOrNull)
  ssbUpdated: string | null;

  @Field(() => Int)
  requests: number;

  @Field(() => Int)
  retries: number;

  @Field(() => Int)
  cells: number;

  @Field(() => Int)
  inserted: number;

  @Field(() => Int)
  updated: number;

  @Field(() => Int)
  unchanged: number;

  @Field(() => Int, { description: 'Facts SSB no longer publishes (a code, year or service area gone), deleted by this load.' })
  removed: number;

  @Field(() => String, { nullable: true })
  error: string | null;
}

@ObjectType({ description: 'One ETL run (the nightly refresh, a requested refresh, the CLI), recorded whatever failed.' })
export class EtlRun {
  @Field()
  id: string;

  @Field(() => DataSourceEnum)
  source: string;

  @Field({ description: 'Why it ran: cli, schedule, api, first start…' })
  reason: string;

  @Field(() => RunStatusEnum)
  status: string;

  @Field(() => DateTime)
  startedAt: string;

  @Field(() => DateTime, { nullable: true })
  finishedAt: string | null;

  @Field(() => String, { nullable: true, description: 'Why the run stopped, when it did.' })
  error: string | null;

  @Field(() => [String], { description: 'What the run found wrong without stopping: indicators found in no table, tables that failed…' })
  problems: string[];
}

@ObjectType({ description: 'Where an indicator of the source catalogue was found at SSB, or why it was not.' })
export class IndicatorSource {
  @Field()
  key: string;

  @Field({ description: 'The catalogue\'s label for the concept.' })
  label: string;

  @Field({ description: 'resolved or missing' })
  status: string;

  @Field(() => String, { nullable: true })
  table: string | null;

  @Field(() => String, { nullable: true })
  concept: string | null;

  @Field(() => String, { nullable: true })
  content: string | null;

  @Field(() => String, { nullable: true, description: 'SSB\'s label in the chosen table.' })
  ssbLabel: string | null;

  @Field(() => String, { nullable: true, description: 'How sure the code was before it was checked: api, ssb or 3p (third-party lists).' })
  certainty: string | null;

  @Field(() => Int, { nullable: true, description: 'Which candidate was taken: 1 = the preferred one.' })
  candidate: number | null;

  @Field(() => [String], { description: 'Why candidates were passed over (every candidate, when missing).' })
  passedOver: string[];
}

@ObjectType({ description: 'Freshness of one SSB table in the warehouse.' })
export class SourceTableStatus {
  @Field()
  id: string;

  @Field()
  title: string;

  @Field(() => DateTime, { nullable: true, description: 'SSB\'s `updated` of the data loaded.' })
  ssbUpdated: string | null;

  @Field(() => DateTime, { nullable: true })
  lastLoadedAt: string | null;

  @Field(() => DataSourceEnum, { nullable: true })
  source: string | null;

  @Field(() => Load, { nullable: true })
  lastLoad: Load | null;
}

@ObjectType()
export class WarehouseStatus {
  @Field(() => Int, { description: 'Id of the newest successful load; changes whenever data changes.' })
  version: number;

  @Field({ description: 'True when the warehouse holds the bundled synthetic demo data, not SSB figures.' })
  demo: boolean;

  @Field(() => String, { nullable: true, description: 'A plain-language notice when the data is demo data.' })
  notice: string | null;

  @Field(() => [SourceTableStatus])
  sourceTables: SourceTableStatus[];

  @Field(() => [Load])
  recentLoads: Load[];

  @Field()
  refreshRunning: boolean;

  @Field(() => [CuratedSource])
  curatedInputs: CuratedSource[];

  @Field(() => [String], { description: 'Curated inputs that hold demo (synthetic) values; answers that use them list them in their demoInputs.' })
  demoInputs: string[];

  @Field(() => [String], { description: 'What the latest run found wrong: indicators found in no SSB table (with the closest labels), tables that failed.' })
  problems: string[];

  @Field(() => [EtlRun], { description: 'Recent ETL runs, newest first.' })
  runs: EtlRun[];

  @Field(() => [IndicatorSource], { description: 'Where each indicator was found at SSB (provenance of every number).' })
  indicatorSources: IndicatorSource[];

  @Field(() => [Reconciliation], { description: 'The latest comparison with SSB\'s published figures, per metric.' })
  reconciliation: Reconciliation[];
}

@ObjectType()
export class RefreshResult {
  @Field()
  started: boolean;

  @Field()
  message: string;
}
