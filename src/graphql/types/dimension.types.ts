import 'reflect-metadata';
// Types of plain data declare simpleResolvers: without it type-graphql wraps every field of every row in a resolver
// with a middleware runner, a cost paid on every field of a 1 000-row page. (Not for types with field middleware.)
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTime, ServiceAreaKindEnum } from './vocabulary.types';

export enum RegionKindEnum {
  MUNICIPALITY = 'municipality',
  COUNTY = 'county',
  KOSTRA_GROUP = 'kostra_group',
  COUNTRY = 'country',
  COUNTRY_EXCL_OSLO = 'country_excl_oslo',
}
registerEnumType(RegionKindEnum, { name: 'RegionKind', description: 'What an SSB region code stands for.' });

@ObjectType({ simpleResolvers: true, description: 'One SSB region code. A municipality has one code per period between municipal reforms.' })
export class Region {
  @Field({ description: 'SSB region code, e.g. "3201", "EAK", "EKG12".' })
  code: string;

  @Field({ description: 'Name without the validity suffix, e.g. "Bærum".' })
  name: string;

  @Field({ description: 'SSB\'s label, e.g. "Bærum (2020-2023)".' })
  label: string;

  @Field(() => RegionKindEnum)
  kind: RegionKindEnum;

  @Field(() => Int, { nullable: true, description: 'First year the code holds figures (null = since before the data starts).' })
  validFrom: number | null;

  @Field(() => Int, { nullable: true, description: 'Last year the code holds figures (null = still valid).' })
  validTo: number | null;

  @Field(() => String, { nullable: true, description: 'Stable key of the municipality across code changes (its newest code).' })
  municipalityKey: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'A municipality across code changes (the 2020 and 2024 reforms): its figures are the values under each code, year by year.' })
export class Municipality {
  @Field({ description: 'Stable key: the newest code, e.g. "3201" for Bærum.' })
  key: string;

  @Field()
  name: string;

  @Field(() => [Region], { description: 'Every code the municipality has had, oldest first, with the years each was valid.' })
  codes: Region[];
}

@ObjectType({ simpleResolvers: true, description: 'A measurable quantity of one SSB table (content code, optionally narrowed by an accounting concept or art).' })
export class Indicator {
  @Field({ description: 'Stable name, e.g. "bdi" (brutto driftsinntekter).' })
  key: string;

  @Field({ description: 'SSB table id, e.g. "12137".' })
  tableId: string;

  @Field()
  contentCode: string;

  @Field(() => String, { nullable: true })
  conceptVariable: string | null;

  @Field(() => String, { nullable: true })
  conceptCode: string | null;

  @Field()
  label: string;

  @Field({ description: 'Unit as SSB gives it, e.g. "1000 kr", "prosent", "personer".' })
  unit: string;

  @Field(() => Int)
  decimals: number;
}

@ObjectType({ simpleResolvers: true, description: 'A service area (tjenesteområde): an SSB FGK group, a single KOSTRA function, or ALL for whole-municipality figures.' })
export class ServiceArea {
  @Field()
  code: string;

  @Field()
  label: string;

  /** The stored word ('total', 'group', 'function'); the enum checks it on the way out. */
  @Field(() => ServiceAreaKindEnum)
  kind: string;

  @Field(() => String, { nullable: true, description: 'The analysts\' grouping (report row) this code belongs to.' })
  groupingId: string | null;

  @Field(() => [String], { description: 'Functions an FGK group contains.' })
  functions: string[];
}

@ObjectType({ simpleResolvers: true, description: 'The analysts\' grouping of service areas (the rows of the report\'s service-area table).' })
export class ServiceAreaGrouping {
  @Field()
  id: string;

  @Field()
  label: string;

  @Field(() => String, { nullable: true })
  parentId: string | null;

  @Field(() => String, { nullable: true, description: 'Sector of the expenditure-need index used to correct it (total = the overall index).' })
  needSector: string | null;

  @Field(() => [String])
  serviceAreas: string[];
}

@ObjectType({ simpleResolvers: true })
export class PeerGroupMember {
  @Field(() => Municipality, { nullable: true })
  municipality: Municipality | null;

  @Field()
  municipalityKey: string;

  @Field(() => Int, { nullable: true })
  fromYear: number | null;

  @Field(() => Int, { nullable: true })
  toYear: number | null;
}

@ObjectType({ simpleResolvers: true, description: 'A peer group (sammenligningsgruppe) defined as data: members by stable municipality key and years.' })
export class PeerGroup {
  @Field()
  id: string;

  @Field()
  name: string;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => String, { nullable: true, description: 'The SSB aggregate publishing a comparable average, if any (ASSS u/Oslo ≈ EKG12).' })
  ssbRegionCode: string | null;

  @Field()
  builtin: boolean;

  @Field(() => [PeerGroupMember])
  members: PeerGroupMember[];
}

@ObjectType({ simpleResolvers: true, description: 'A curated input that SSB does not publish (need index, deflator), with where it came from.' })
export class CuratedSource {
  @Field()
  id: string;

  @Field()
  source: string;

  @Field({ description: 'True while the file holds demo values, not curated real ones.' })
  demo: boolean;

  @Field(() => String, { nullable: true })
  note: string | null;

  @Field(() => DateTime, { description: 'When the curated files with these values were loaded.' })
  loadedAt: string;
}

@ObjectType({ simpleResolvers: true })
export class DeflatorYear {
  @Field(() => Int)
  year: number;

  @Field(() => Float, { description: 'Yearly growth of municipal costs, e.g. 0.045 = 4.5 %.' })
  value: number;
}
