export type RegionKind = 'municipality' | 'county' | 'kostra_group' | 'country' | 'country_excl_oslo';


/** What a region code and SSB's label say about a region. Pure. */
export interface RegionFacts {
  code: string;
  name: string;
  label: string;
  kind: RegionKind;
  validFrom: number | null;
  validTo: number | null;
}

const KIND_BY_PATTERN: [RegExp, RegionKind][] = [
  [/^\d{4}$/, 'municipality'],
  [/^EAKUO$/, 'country_excl_oslo'],
  [/^EAK$/, 'country'],
  [/^EKG\d{2}$/, 'kostra_group'],
  [/^EKA\d{2}$/, 'county'],
  [/^\d{2}$/, 'county'],
];

export function regionKind(code: string): RegionKind | null {
  return KIND_BY_PATTERN.find(([pattern]) => pattern.test(code))?.[1] ?? null;
}

/**
 * SSB labels carry a code's validity: "Bærum (-2019)", "Halden (2020-2023)", "Bærum" (current). The name is the
 * label without that suffix; the years bound where the code can hold figures.
 */
export function parseRegionLabel(code: string, label: string): RegionFacts {
  const match = /^(.*?)\s*\((\d{4})?\s*-\s*(\d{4})?\)\s*$/.exec(label);
  const kind = regionKind(code) ?? 'municipality';
  if (!match) return { code, name: label.trim() || code, label, kind, validFrom: null, validTo: null };
  return {
    code, label, kind,
    name: match[1].trim() || code,
    validFrom: match[2] ? Number(match[2]) : null,
    validTo: match[3] ? Number(match[3]) : null,
  };
}
