import 'reflect-metadata';
import { Field, Int, ObjectType, UseMiddleware } from 'type-graphql';
import { CuratedSource } from './dimension.types';
import { DataSourceEnum, DateTime, LoadStatusEnum, timestampOrNull } from './vocabulary.types';

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

  @Field(() => String, { nullable: true })
  error: string | null;
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
}

@ObjectType()
export class RefreshResult {
  @Field()
  started: boolean;

  @Field()
  message: string;
}
