import 'reflect-metadata';
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { AppContext } from '../../context';
import { normaliseText as fold } from '../../../core/text/closest';
import { BadInputError } from '../../errors';
import { findMunicipality, findPeerGroup, findRegion } from '../../services/subjects';
import { toMunicipality, toPeerGroup, toRegion } from '../mappers';
import {
  CuratedSource, DeflatorYear, Indicator, Municipality, PeerGroup, Region, RegionKindEnum, ServiceArea, ServiceAreaGrouping,
} from '../types/dimension.types';

const MAX_SEARCH = 200;

function checkSearch(search: string | undefined | null): string | null {
  if (search === undefined || search === null) return null;
  if (search.length > MAX_SEARCH) throw new BadInputError(`search is ${search.length} characters long; at most ${MAX_SEARCH} are allowed`, { argument: 'search' });
  return fold(search.trim());
}

@Resolver()
export class DimensionResolver {
  @Query(() => [Region], { description: 'Regions: municipalities (current codes unless includeHistoric), counties, KOSTRA groups, the country. Search matches names and codes.' })
  regions(
    @Ctx() ctx: AppContext,
    @Arg('search', () => String, { nullable: true }) search?: string,
    @Arg('kinds', () => [RegionKindEnum], { nullable: true }) kinds?: RegionKindEnum[],
    @Arg('includeHistoric', () => Boolean, { defaultValue: false, description: 'Include codes no longer valid (e.g. 0219 Bærum -2019).' }) includeHistoric = false,
  ): Region[] {
    const s = checkSearch(search);
    return [...ctx.snapshot.regions.values()]
      .filter((r) => includeHistoric || r.validTo === null)
      .filter((r) => !kinds?.length || kinds.includes(r.kind as RegionKindEnum))
      .filter((r) => !s || fold(r.name).includes(s) || fold(r.label).includes(s) || fold(r.code) === s)
      .map(toRegion);
  }

  @Query(() => Region, { description: 'One region by code (current or historic) or name.' })
  region(@Ctx() ctx: AppContext, @Arg('ref') ref: string): Region {
    return toRegion(findRegion(ctx.snapshot, checkSearch(ref) === null ? ref : ref.trim(), 'ref'));
  }

  @Query(() => [Municipality], { description: 'Municipalities with every code they have had. Search matches current and historic names and codes.' })
  municipalities(@Ctx() ctx: AppContext, @Arg('search', () => String, { nullable: true }) search?: string): Municipality[] {
    const s = checkSearch(search);
    return [...ctx.snapshot.municipalities.values()]
      .filter((m) => !s || fold(m.name).includes(s) || m.codes.some((c) => c.code === s || fold(c.name).includes(s)))
      .map(toMunicipality);
  }

  @Query(() => Municipality, { description: 'One municipality by name, stable key or any of its codes ("Bærum", "3201", "3024" and "0219" are the same).' })
  municipality(@Ctx() ctx: AppContext, @Arg('ref') ref: string): Municipality {
    checkSearch(ref);
    return toMunicipality(findMunicipality(ctx.snapshot, ref.trim(), 'ref'));
  }

  @Query(() => [Indicator], { description: 'Indicators loaded from SSB. Search matches key and label.' })
  indicators(
    @Ctx() ctx: AppContext,
    @Arg('search', () => String, { nullable: true }) search?: string,
    @Arg('table', () => String, { nullable: true, description: 'SSB table id, e.g. "12137".' }) table?: string,
  ): Indicator[] {
    const s = checkSearch(search);
    const all = [...ctx.snapshot.indicators.values()];
    if (table && !all.some((i) => i.tableId === table)) throw BadInputError.unknown('table', table, [...new Set(all.map((i) => i.tableId))], 'table');
    return all.filter((i) => (!table || i.tableId === table) && (!s || fold(i.key).includes(s) || fold(i.label).includes(s)));
  }

  @Query(() => [ServiceArea], { description: 'Service areas (tjenesteområder): FGK groups, single functions and ALL.' })
  serviceAreas(@Ctx() ctx: AppContext): ServiceArea[] {
    return [...ctx.snapshot.serviceAreas.values()].map((a) => ({ ...a, functions: a.functions ? a.functions.split(',') : [] }));
  }

  @Query(() => [ServiceAreaGrouping], { description: 'The analysts\' groupings of service areas (the report\'s rows).' })
  serviceAreaGroupings(@Ctx() ctx: AppContext): ServiceAreaGrouping[] {
    return ctx.snapshot.groupings.map((g) => ({
      ...g, serviceAreas: [...ctx.snapshot.serviceAreas.values()].filter((a) => a.groupingId === g.id).map((a) => a.code),
    }));
  }

  @Query(() => [Int], { description: 'Years loaded.' })
  years(@Ctx() ctx: AppContext): number[] {
    return ctx.snapshot.years;
  }

  @Query(() => [PeerGroup])
  peerGroups(@Ctx() ctx: AppContext): PeerGroup[] {
    return [...ctx.snapshot.peerGroups.values()].map((g) => toPeerGroup(g, ctx.snapshot));
  }

  @Query(() => PeerGroup)
  peerGroup(@Ctx() ctx: AppContext, @Arg('ref', { description: 'Id or name, e.g. "asss-u-oslo" or "ASSS u/Oslo".' }) ref: string): PeerGroup {
    checkSearch(ref);
    return toPeerGroup(findPeerGroup(ctx.snapshot, ref, 'ref'), ctx.snapshot);
  }

  @Query(() => [DeflatorYear], { description: 'The kommunal deflator used for inflation adjustment (curated input).' })
  deflator(@Ctx() ctx: AppContext): DeflatorYear[] {
    return [...ctx.snapshot.deflator.entries()].sort((a, b) => a[0] - b[0]).map(([year, value]) => ({ year, value }));
  }

  @Query(() => [CuratedSource], { description: 'Curated inputs (need index, deflator) and their sources.' })
  curatedInputs(@Ctx() ctx: AppContext): CuratedSource[] {
    return ctx.snapshot.curatedSources;
  }
}
