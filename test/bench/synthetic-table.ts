import type { JsonStat2Dataset } from '../../etl/pxweb/types';
import type { TableDeclaration } from '../../core/source-catalogue';
import type { ResolvedIndicator } from '../../etl/resolve';

/** A KOSTRA-shaped table (region × function × art × content × year) of regions × 50 × 2 × 2 × 10 cells. */
export const SHAPE = { regions: 500, functions: 50, arts: 2, contents: 2, years: 10 };
export const CELLS = SHAPE.regions * SHAPE.functions * SHAPE.arts * SHAPE.contents * SHAPE.years;

const codes = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));
export const REGION_CODES = codes(SHAPE.regions, (i) => String(1000 + i).padStart(4, '0'));
export const FUNCTION_CODES = codes(SHAPE.functions, (i) => String(100 + i * 7));
export const ART_CODES = ['AGD2', 'AGD10'];
export const CONTENT_CODES = ['KOSbelop0000', 'KOSbelopinnbygge0000'];
export const YEARS = codes(SHAPE.years, (i) => String(2015 + i));

export const DECLARATION: TableDeclaration = {
  id: '99362', title: 'Synthetic benchmark table', regionVariable: 'KOKkommuneregion0000', conceptVariable: 'KOKart0000',
  serviceAreaVariable: 'KOKfunksjon0000', serviceAreas: { include: ['^\\d{3}$'], groupings: false }, addsYears: true,
};

/** The indicators as resolution would choose them: every art × content of the table. */
export const INDICATORS: ResolvedIndicator[] = ART_CODES.flatMap((art) => CONTENT_CODES.map((content) => ({
  key: `bench_${art}_${content}`.toLowerCase(), tableId: DECLARATION.id, content, conceptVariable: 'KOKart0000', concept: art, label: art,
  unit: '1000 kr', decimals: 0, certainty: 'api' as const, candidate: 0,
})));

function dimension(label: string, list: string[], elimination = false) {
  return { label, category: { index: Object.fromEntries(list.map((c, i) => [c, i])), label: Object.fromEntries(list.map((c) => [c, c])) }, extension: { elimination } };
}

/** The dataset with `value` filled (or empty, for metadata); every 97th cell null with status "..". */
export function syntheticDataset(withValues: boolean): JsonStat2Dataset {
  const value: (number | null)[] = [];
  const status: Record<string, string> = {};
  if (withValues) {
    for (let i = 0; i < CELLS; i++) {
      if (i % 97 === 0) { value.push(null); status[String(i)] = '..'; } else value.push(Math.round(((i * 7919) % 100_000) * 1.5) / 10);
    }
  }
  return {
    version: '2.0', class: 'dataset', label: 'Synthetic benchmark table', source: 'kostra-warehouse bench', updated: '2026-01-01T00:00:00Z',
    id: ['KOKkommuneregion0000', 'KOKfunksjon0000', 'KOKart0000', 'ContentsCode', 'Tid'],
    size: [SHAPE.regions, SHAPE.functions, SHAPE.arts, SHAPE.contents, SHAPE.years],
    dimension: {
      KOKkommuneregion0000: dimension('region', REGION_CODES), KOKfunksjon0000: dimension('funksjon', FUNCTION_CODES),
      KOKart0000: dimension('art', ART_CODES),
      ContentsCode: { ...dimension('statistikkvariabel', CONTENT_CODES), category: { ...dimension('', CONTENT_CODES).category, unit: { KOSbelop0000: { base: '1000 kr', decimals: 0 }, KOSbelopinnbygge0000: { base: 'kr', decimals: 0 } } } },
      Tid: dimension('år', YEARS),
    },
    value,
    ...(withValues ? { status } : {}),
    role: { time: ['Tid'], geo: ['KOKkommuneregion0000'], metric: ['ContentsCode'] },
  };
}
