import { normaliseText as fold } from '../../core/text/closest';
import { BadInputError } from '../errors';
import type { MunicipalityRow, PeerGroupRow, RegionRow, WarehouseSnapshot } from '../warehouse/snapshot';

export type AverageMode = 'weighted' | 'unweighted';

/** What a metric can be computed for: a municipality (all its codes), one SSB region code, or a peer-group average. */
export type ResolvedSubject =
  | { kind: 'municipality'; id: string; name: string; municipality: MunicipalityRow }
  | { kind: 'region'; id: string; name: string; region: RegionRow }
  | { kind: 'peerGroup'; id: string; name: string; group: PeerGroupRow; average: AverageMode; excluding: MunicipalityRow | null };

export interface GroupRef {
  name: string;
  members: string[];
}

export interface SubjectRef {
  municipality?: string | null;
  region?: string | null;
  peerGroup?: string | null;
  group?: GroupRef | null;
  average?: AverageMode | null;
  excluding?: string | null;
}


/** A municipality by stable key, by any of its codes (current or historic) or by name. */
export function findMunicipality(snapshot: WarehouseSnapshot, ref: string, argument = 'municipality'): MunicipalityRow {
  const byKey = snapshot.municipalities.get(ref);
  if (byKey) return byKey;
  const region = snapshot.regions.get(ref);
  if (region?.municipalityKey) return snapshot.municipalities.get(region.municipalityKey)!;
  const wanted = fold(ref);
  const named = [...snapshot.municipalities.values()].filter((m) => fold(m.name) === wanted || m.codes.some((c) => fold(c.name) === wanted));
  // A name can belong to a municipality of today and to one that ended (1508 Ålesund, and 1507 Ålesund before the
  // 2024 split): the name means today's, and the ended one is reached by its code.
  const current = named.find((m) => m.codes.some((c) => c.validTo === null) && fold(m.name) === wanted) ?? named.find((m) => m.codes.some((c) => c.validTo === null));
  if (current ?? named[0]) return current ?? named[0];
  const names = [...snapshot.municipalities.values()].map((m) => m.name).sort((a, b) => a.localeCompare(b, 'nb'));
  if (names.length === 0) throw new BadInputError('the warehouse has no municipalities yet: run the ETL (npm run etl) first', { argument });
  throw BadInputError.unknown('municipality', ref, names, argument);
}

export function findRegion(snapshot: WarehouseSnapshot, ref: string, argument = 'region'): RegionRow {
  const region = snapshot.regions.get(ref) ?? snapshot.regions.get(ref.toUpperCase());
  if (region) return region;
  const wanted = fold(ref);
  const byName = [...snapshot.regions.values()].filter((r) => fold(r.name) === wanted || fold(r.label) === wanted);
  const current = byName.find((r) => r.validTo === null) ?? byName[0];
  if (current) return current;
  throw BadInputError.unknown('region', ref, [...snapshot.regions.values()].filter((r) => r.kind !== 'municipality').map((r) => `${r.code} (${r.name})`), argument);
}

export function findPeerGroup(snapshot: WarehouseSnapshot, ref: string, argument = 'peerGroup'): PeerGroupRow {
  const group = snapshot.peerGroups.get(ref) ?? [...snapshot.peerGroups.values()].find((g) => fold(g.name) === fold(ref));
  if (group) return group;
  throw BadInputError.unknown('peer group', ref, [...snapshot.peerGroups.values()].map((g) => g.id), argument);
}

/** Members of an analyst's own group: 2 to this many municipalities. */
export const MAX_GROUP_MEMBERS = 100;
export const MAX_GROUP_NAME = 100;

/**
 * An analyst's own group as a peer group: members resolved like any municipality reference (name, key or code),
 * each once, members for every year. Named `…` in answers; its id says it was given with the request.
 */
export function adHocGroup(snapshot: WarehouseSnapshot, ref: GroupRef, argument = 'group'): PeerGroupRow {
  const name = ref.name.trim();
  if (name === '' || name.length > MAX_GROUP_NAME) throw new BadInputError(`${argument}.name: give a name of 1 to ${MAX_GROUP_NAME} characters`, { argument: `${argument}.name` });
  if (ref.members.length < 2 || ref.members.length > MAX_GROUP_MEMBERS) {
    throw new BadInputError(`${argument}.members: ${ref.members.length} given; a group has 2 to ${MAX_GROUP_MEMBERS} municipalities`, { argument: `${argument}.members` });
  }
  const keys = ref.members.map((m, i) => findMunicipality(snapshot, m, `${argument}.members[${i}]`).key);
  const twice = keys.filter((k, i) => keys.indexOf(k) !== i);
  if (twice.length) throw new BadInputError(`${argument}.members: ${[...new Set(twice)].join(', ')} given twice (a municipality counts once in a group)`, { argument: `${argument}.members` });
  return {
    id: `group:${keys.join('+')}`, name, description: null, ssbRegionCode: null, builtin: false,
    members: keys.map((municipalityKey) => ({ municipalityKey, fromYear: null, toYear: null })),
  };
}

export function resolveSubject(snapshot: WarehouseSnapshot, ref: SubjectRef, argument = 'subjects'): ResolvedSubject {
  const given = (['municipality', 'region', 'peerGroup', 'group'] as const).filter((k) => ref[k]);
  if (given.length !== 1) {
    throw new BadInputError(`${argument}: give exactly one of municipality, region, peerGroup or group (got ${given.length ? given.join(' and ') : 'none'})`, { argument });
  }
  if ((ref.average || ref.excluding) && !ref.peerGroup && !ref.group) {
    throw new BadInputError(`${argument}: average and excluding apply to a peerGroup or group subject`, { argument });
  }
  if (ref.municipality) {
    const m = findMunicipality(snapshot, ref.municipality, `${argument}.municipality`);
    return { kind: 'municipality', id: m.key, name: m.name, municipality: m };
  }
  if (ref.region) {
    const r = findRegion(snapshot, ref.region, `${argument}.region`);
    return { kind: 'region', id: r.code, name: r.name, region: r };
  }
  const group = ref.group ? adHocGroup(snapshot, ref.group, `${argument}.group`) : findPeerGroup(snapshot, ref.peerGroup ?? '', `${argument}.peerGroup`);
  const average = ref.average ?? 'weighted';
  const excluding = ref.excluding ? findMunicipality(snapshot, ref.excluding, `${argument}.excluding`) : null;
  const name = `${group.name}${average === 'unweighted' ? ' (uveid snitt)' : ''}${excluding ? ` uten ${excluding.name}` : ''}`;
  return { kind: 'peerGroup', id: `${group.id}:${average}${excluding ? `:-${excluding.key}` : ''}`, name, group, average, excluding };
}

/** Members of a group in a year (membership years inclusive; null = open). */
export function membersInYear(group: PeerGroupRow, year: number): string[] {
  return group.members
    .filter((m) => (m.fromYear === null || m.fromYear <= year) && (m.toYear === null || m.toYear >= year))
    .map((m) => m.municipalityKey);
}
