import 'reflect-metadata';
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { AppContext } from '../../context';
import { BadInputError } from '../../errors';
import { SSB_STATUS_LABELS } from '../../../core/metrics';
import { findMunicipality, findPeerGroup, findRegion } from '../../services/subjects';
import { toRegion } from '../mappers';
import { FactConnection, FactFilter } from '../types/fact.types';
import type { Region, ServiceArea } from '../types/dimension.types';
import type { IndicatorRow, WarehouseSnapshot } from '../../warehouse/snapshot';

export const MAX_PAGE_SIZE = 1000;
/** Values per filter list: each becomes an SQL variable, and SQLite allows 32 766 per statement. */
export const MAX_FILTER_VALUES = 1000;

type Cursor = [number, number, string, string];

const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(s: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(c) && c.length === 4 && typeof c[0] === 'number' && typeof c[1] === 'number' && typeof c[2] === 'string' && typeof c[3] === 'string') return c as Cursor;
  } catch { /* fall through */ }
  throw new BadInputError('after: not a cursor from this API (use pageInfo.endCursor of the previous page)', { argument: 'after' });
}

type FactRow = { i: number; y: number; r: string; a: string; v: number | null; s: string | null; l: number };

/**
 * One fact of a page. A class, not an object literal with getters: a page builds hundreds, and a literal's getters are
 * new closures for every row. Provenance is built only when selected.
 */
class PageFact {
  readonly year: number;
  readonly unit: string;
  readonly value: number | null;
  readonly status: string | null;
  readonly statusMeaning: string | null;

  constructor(private readonly row: FactRow, readonly indicator: IndicatorRow, readonly region: Region, readonly serviceArea: ServiceArea, private readonly snapshot: WarehouseSnapshot) {
    this.year = row.y;
    this.unit = indicator.unit;
    this.value = row.v;
    this.status = row.s;
    this.statusMeaning = row.s ? (SSB_STATUS_LABELS[row.s] ?? 'unknown SSB symbol') : null;
  }

  get provenance() {
    const table = this.snapshot.sourceTables.get(this.indicator.tableId);
    return {
      sourceTable: this.indicator.tableId, ssbUpdated: table?.ssbUpdated ?? null, loadId: this.row.l,
      loadedAt: table?.lastLoadedAt ?? null, source: table?.source ?? 'unknown',
    };
  }
}

/** One edge of a page; its cursor is encoded only when selected. */
class PageEdge {
  constructor(private readonly row: FactRow, readonly node: PageFact) {}

  get cursor(): string {
    return encodeCursor([this.row.i, this.row.y, this.row.r, this.row.a]);
  }
}

/** A FactConnection whose totalCount is counted when read (a promise the field resolves). */
type FactPage = Omit<FactConnection, 'totalCount'> & { readonly totalCount: Promise<number> };

@Resolver()
export class FactResolver {
  @Query(() => FactConnection, { description: `Facts as stored, filtered and paged (at most ${MAX_PAGE_SIZE} per page), each with its unit, SSB status and provenance.` })
  async facts(
    @Ctx() ctx: AppContext,
    @Arg('filter', () => FactFilter, { defaultValue: {} }) filter: FactFilter,
    @Arg('first', () => Int, { defaultValue: 100 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<FactPage> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
      throw new BadInputError(`first must be between 1 and ${MAX_PAGE_SIZE}, but got: ${first}`, { argument: 'first' });
    }
    for (const key of ['regions', 'indicators', 'serviceAreas', 'years'] as const) {
      const n = filter[key]?.length ?? 0;
      if (n > MAX_FILTER_VALUES) throw new BadInputError(`filter.${key}: ${n} values; at most ${MAX_FILTER_VALUES} per list`, { argument: `filter.${key}` });
    }
    const { snapshot } = ctx;
    const where: string[] = [];
    const params: unknown[] = [];
    const inList = (column: string, values: unknown[]) => {
      where.push(`${column} IN (${values.map(() => '?').join(',')})`);
      params.push(...values);
    };

    if (filter.indicators?.length) {
      inList('f.indicator_id', filter.indicators.map((key, i) => {
        const ind = snapshot.indicators.get(key);
        if (!ind) throw BadInputError.unknown('indicator', key, snapshot.indicators.keys(), `filter.indicators[${i}]`);
        return ind.id;
      }));
    }
    const codes = new Set<string>();
    const regionFilterGiven = Boolean(filter.regions?.length || filter.peerGroup || filter.kostraGroup);
    (filter.regions ?? []).forEach((ref, i) => {
      const region = snapshot.regions.get(ref);
      if (region && region.kind !== 'municipality') { codes.add(region.code); return; }
      const m = findMunicipality(snapshot, ref, `filter.regions[${i}]`);
      m.codes.forEach((c) => codes.add(c.code));
    });
    if (filter.peerGroup) {
      for (const member of findPeerGroup(snapshot, filter.peerGroup, 'filter.peerGroup').members) {
        snapshot.municipalities.get(member.municipalityKey)?.codes.forEach((c) => codes.add(c.code));
      }
    }
    if (filter.kostraGroup) {
      const r = findRegion(snapshot, filter.kostraGroup, 'filter.kostraGroup');
      if (r.kind !== 'kostra_group') throw new BadInputError(`filter.kostraGroup: ${r.code} is a ${r.kind}, not a KOSTRA group (EKG01–EKG17)`, { argument: 'filter.kostraGroup' });
      codes.add(r.code);
    }
    if (regionFilterGiven) inList('f.region_code', [...codes]);
    if (filter.years?.length) inList('f.year', filter.years);
    if (filter.yearFrom != null) { where.push('f.year >= ?'); params.push(filter.yearFrom); }
    if (filter.yearTo != null) { where.push('f.year <= ?'); params.push(filter.yearTo); }
    if (filter.serviceAreas?.length) {
      filter.serviceAreas.forEach((code, i) => {
        if (!snapshot.serviceAreas.has(code)) throw BadInputError.unknown('service area', code, snapshot.serviceAreas.keys(), `filter.serviceAreas[${i}]`);
      });
      inList('f.service_area_code', filter.serviceAreas);
    }
    if (filter.onlyWithValues) where.push('f.value IS NOT NULL');

    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    // Counted only when the client selects totalCount (the field reads this getter): a page without it runs one query.
    let counted: Promise<number> | undefined;
    const count = () => (counted ??= ctx.reader.row({ n: 'number' }, `SELECT COUNT(*) AS n FROM fact f ${whereSql}`, params, 'fact count').then((r) => r?.n ?? 0));
    const pageWhere = [...where];
    const pageParams = [...params];
    if (after) {
      pageWhere.push(`(f.indicator_id, f.year, ${ctx.reader.binary('f.region_code')}, ${ctx.reader.binary('f.service_area_code')}) > (?, ?, ?, ?)`);
      pageParams.push(...decodeCursor(after));
    }
    const rows = await ctx.reader.rows({ i: 'number', y: 'number', r: 'string', a: 'string', v: 'number?', s: 'string?', l: 'number' },
      `SELECT f.indicator_id AS i, f.year AS y, f.region_code AS r, f.service_area_code AS a, f.value AS v, f.status AS s, f.load_id AS l
       FROM fact f ${pageWhere.length ? `WHERE ${pageWhere.join(' AND ')}` : ''}
       ORDER BY f.indicator_id, f.year, ${ctx.reader.binary('f.region_code')}, ${ctx.reader.binary('f.service_area_code')} LIMIT ?`,
      [...pageParams, first + 1],
    );
    const page = rows.slice(0, first);
    // A page repeats a few regions and service areas hundreds of times: map each once. Cursors and provenance are
    // getters, built only when selected.
    const regions = new Map<string, ReturnType<typeof toRegion>>();
    const regionOf = (code: string) => regions.get(code) ?? regions.set(code, toRegion(snapshot.regions.get(code)!)).get(code)!;
    const areas = new Map<string, ServiceArea>();
    const areaOf = (code: string) => {
      let area = areas.get(code);
      if (!area) {
        const stored = snapshot.serviceAreas.get(code)!;
        areas.set(code, (area = { ...stored, functions: stored.functions ? stored.functions.split(',') : [] }));
      }
      return area;
    };
    const edges = page.map((row) => {
      const indicator = snapshot.indicatorsById.get(row.i)!;
      return new PageEdge(row, new PageFact(row, indicator, regionOf(row.r), areaOf(row.a), snapshot));
    });
    // A first page that holds every match already knows the total: no second statement.
    const total = !after && rows.length <= first ? Promise.resolve(rows.length) : undefined;
    return { get totalCount() { return total ?? count(); }, edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.length ? edges[edges.length - 1].cursor : null } };
  }
}
