import 'reflect-metadata';
// Types of plain data declare simpleResolvers: without it type-graphql wraps every field of every row in a resolver
// with a middleware runner, a cost paid on every field of a 1 000-row page. (Not for types with field middleware.)
import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { Indicator, Region, ServiceArea } from './dimension.types';
import { DataSourceEnum, DateTime } from './vocabulary.types';

@InputType({ description: 'Which facts. Every list is optional; an omitted list means "all". Regions can be named by code (current or historic), municipality name or stable key; a peer group or KOSTRA group adds its members.' })
export class FactFilter {
  @Field(() => [String], { nullable: true, description: 'Region codes, municipality names or stable keys. A municipality means all its codes.' })
  regions?: string[];

  @Field(() => String, { nullable: true, description: 'A peer group id or name: its members (all their codes).' })
  peerGroup?: string;

  @Field(() => String, { nullable: true, description: 'A KOSTRA group code such as EKG12: the group\'s own SSB figures.' })
  kostraGroup?: string;

  @Field(() => [Int], { nullable: true })
  years?: number[];

  @Field(() => Int, { nullable: true, description: 'Inclusive.' })
  yearFrom?: number;

  @Field(() => Int, { nullable: true, description: 'Inclusive.' })
  yearTo?: number;

  @Field(() => [String], { nullable: true, description: 'Indicator keys, e.g. ["bdi", "netto_driftsresultat"].' })
  indicators?: string[];

  @Field(() => [String], { nullable: true, description: 'Service-area codes; ALL = whole-municipality figures.' })
  serviceAreas?: string[];

  @Field(() => Boolean, { nullable: true, description: 'Leave out empty cells (value null). Default false: an empty cell is returned with its SSB status.' })
  onlyWithValues?: boolean;
}

@ObjectType({ simpleResolvers: true, description: 'Where a fact came from.' })
export class Provenance {
  @Field()
  sourceTable: string;

  @Field(() => DateTime, { nullable: true, description: 'SSB\'s `updated` timestamp of the table as loaded.' })
  ssbUpdated: string | null;

  @Field(() => Int, { description: 'The load that last changed this fact.' })
  loadId: number;

  @Field(() => DateTime, { nullable: true, description: 'When the table was last loaded.' })
  loadedAt: string | null;

  /** The stored word ('live', 'demo'); the enum checks it on the way out. */
  @Field(() => DataSourceEnum)
  source: string;
}

@ObjectType({ simpleResolvers: true, description: 'One cell of the warehouse: region × year × indicator × service area.' })
export class Fact {
  @Field(() => Region)
  region: Region;

  @Field(() => Int)
  year: number;

  @Field(() => Indicator)
  indicator: Indicator;

  @Field(() => ServiceArea)
  serviceArea: ServiceArea;

  @Field(() => Float, { nullable: true, description: 'Null when SSB publishes no number; see status.' })
  value: number | null;

  @Field()
  unit: string;

  @Field(() => String, { nullable: true, description: 'SSB status symbol: "." not applicable, ".." not available, ":" suppressed, "-" nil.' })
  status: string | null;

  @Field(() => String, { nullable: true, description: 'What the status symbol means.' })
  statusMeaning: string | null;

  @Field(() => Provenance)
  provenance: Provenance;
}

@ObjectType({ simpleResolvers: true })
export class FactEdge {
  @Field()
  cursor: string;

  @Field(() => Fact)
  node: Fact;
}

@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

@ObjectType({ simpleResolvers: true })
export class FactConnection {
  // Counted only when selected: the page holds a promise, which a simple field would not await under graphql-jit
  // (it reads simple fields inline); this field's resolver awaits it, as graphql-js does.
  @Field(() => Int, { simple: false })
  totalCount: number;

  @Field(() => [FactEdge])
  edges: FactEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}
