/**
 * Service areas (tjenesteområder): KOSTRA functions (3 digits) and SSB's function groups (FGK…) of table 12362,
 * and the analysts' groupings of them (service-areas.json, data: the report's split of helse og omsorg into
 * kommunehelse and pleie og omsorg is a convention, not SSB's). Labels of codes come from SSB's metadata; a code
 * declared here may add its kind and the functions it sums, for documentation and the API.
 */
import { z } from 'zod';
import { CatalogueError } from '../catalogue-error';
import { zodProblems } from '../zod-problems';
import rawServiceAreas from './service-areas.json';

/** Facts of tables without a function dimension are about the whole municipality and are stored under this code. */
export const WHOLE_MUNICIPALITY = 'ALL';

const FILE = 'core/service-areas/service-areas.json';

const serviceAreaSchema = z.strictObject({
  code: z.string().regex(/^(ALL|FGK\w+|\d{3})$/, 'must be ALL, an FGK group or a 3-digit function'),
  label: z.string().min(1),
  kind: z.enum(['total', 'group', 'function']),
  functions: z.array(z.string().regex(/^\d{3}$/, 'must be a 3-digit function')).optional(),
});

const groupingSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be snake_case'),
  label: z.string().min(1),
  parent: z.string().optional(),
  needSector: z.string().min(1).nullable(),
  serviceAreas: z.array(z.string()),
});

const fileSchema = z.strictObject({
  $comment: z.string().optional(),
  serviceAreas: z.array(serviceAreaSchema),
  groupings: z.array(groupingSchema),
});

export type ServiceAreaDeclaration = z.infer<typeof serviceAreaSchema>;
export type GroupingDeclaration = z.infer<typeof groupingSchema>;
export type ServiceAreaCatalogue = z.infer<typeof fileSchema>;

/** Validates the file's shape and cross-references; throws one CatalogueError listing every problem. */
export function validateServiceAreas(raw: unknown): ServiceAreaCatalogue {
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) throw new CatalogueError(FILE, zodProblems(parsed.error));
  const areas = parsed.data;
  const problems: string[] = [];
  const codes = new Set<string>();
  areas.serviceAreas.forEach((a, i) => {
    if (codes.has(a.code)) problems.push(`serviceAreas[${i}]: duplicate code "${a.code}"`);
    codes.add(a.code);
  });
  const ids = new Set(areas.groupings.map((g) => g.id));
  const claimed = new Map<string, string>();
  areas.groupings.forEach((g, i) => {
    const where = `groupings[${i}] (${g.id})`;
    if (g.parent !== undefined && !ids.has(g.parent)) problems.push(`${where}.parent: unknown grouping "${g.parent}"`);
    for (const code of g.serviceAreas) {
      if (!/^(FGK\w+|\d{3})$/.test(code)) problems.push(`${where}.serviceAreas: "${code}" is neither an FGK group nor a 3-digit function`);
      const owner = claimed.get(code);
      if (owner) problems.push(`${where}.serviceAreas: "${code}" already belongs to grouping "${owner}" (groupings must be disjoint)`);
      claimed.set(code, g.id);
    }
  });
  if (problems.length) throw new CatalogueError(FILE, problems);
  return areas;
}

/** Every code the groupings use (FGK groups and single functions): the ETL loads these whatever its patterns say. */
export function groupingCodes(areas: ServiceAreaCatalogue): string[] {
  return [...new Set(areas.groupings.flatMap((g) => g.serviceAreas))];
}

let cached: ServiceAreaCatalogue | undefined;

/** The shipped service areas, validated once. */
export function loadServiceAreas(): ServiceAreaCatalogue {
  cached ??= validateServiceAreas(rawServiceAreas);
  return cached;
}
