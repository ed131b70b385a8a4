/**
 * Regions of the synthetic demo dataset: real municipality codes with their real code histories (2017, 2018,
 * 2020 and 2024 reforms), SSB's KOSTRA aggregates and a few county codes.
 *
 * A "lineage" is one municipality as it exists today, keyed by its newest code (the warehouse's municipality
 * key). Its history is a list of eras; in each era the lineage is covered by one or more region codes, each
 * holding a fixed share `w` of the lineage (mergers: several codes; a code shared by two lineages: a split
 * later). A code's value in a year is Σ w × lineage value over the lineages that reference it in that year.
 */

export const FIRST_YEAR = 2015;
export const LAST_YEAR = 2024;
/** Table 07459 (population 1 January) also has 2025. */
export const POP_LAST_YEAR = 2025;
export const YEARS: number[] = range(FIRST_YEAR, LAST_YEAR);

export function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a; i <= b; i++) out.push(i);
  return out;
}

/** [code, name, share of the lineage (default 1), explicit successor codes (default: by name or the single new code)] */
export type EraCode = [code: string, name: string, w?: number, next?: string[]];

export interface Era {
  from: number;
  /** inclusive; undefined = still valid */
  to?: number;
  codes: EraCode[];
}

export interface LineageSpec {
  /** newest code = the warehouse's municipality key */
  key: string;
  name: string;
  /** population 1 January 2024 (approximately the real figure) */
  pop2024: number;
  /** yearly population growth */
  growth: number;
  eras: Era[];
  /** member of ASSS u/Oslo (KOSTRA group 12) */
  asss?: boolean;
  /** KOSTRA group of the demo (only EKG11 / EKG01 besides 12 and 13) */
  kostraGroup?: 'EKG01' | 'EKG11' | 'EKG12' | 'EKG13';
}

function simple(code: string, name: string): Era[] {
  return [{ from: FIRST_YEAR, codes: [[code, name]] }];
}
/** Renumbered (possibly merged) in 2020, unchanged in 2024. */
function r2020(pre: EraCode[], c2020: string, name: string): Era[] {
  return [
    { from: FIRST_YEAR, to: 2019, codes: pre },
    { from: 2020, codes: [[c2020, name]] },
  ];
}
/** Renumbered in 2020 (Viken, Vestfold og Telemark, Troms og Finnmark) and again in 2024. */
function r2020r2024(pre: EraCode[], c2020: string, c2024: string, name: string, name2020 = name): Era[] {
  return [
    { from: FIRST_YEAR, to: 2019, codes: pre },
    { from: 2020, to: 2023, codes: [[c2020, name2020]] },
    { from: 2024, codes: [[c2024, name]] },
  ];
}

export const LINEAGES: LineageSpec[] = [
  // ---- ASSS (Oslo + the 11 members of ASSS u/Oslo = KOSTRA group 12) ----
  { key: '0301', name: 'Oslo - Oslove', pop2024: 717710, growth: 0.009, kostraGroup: 'EKG13', eras: simple('0301', 'Oslo - Oslove') },
  { key: '3201', name: 'Bærum', pop2024: 129800, growth: 0.009, asss: true, kostraGroup: 'EKG12', eras: r2020r2024([['0219', 'Bærum']], '3024', '3201', 'Bærum') },
  {
    key: '3203', name: 'Asker', pop2024: 97600, growth: 0.011, asss: true, kostraGroup: 'EKG12',
    eras: r2020r2024([['0220', 'Asker', 0.66], ['0627', 'Røyken', 0.24], ['0628', 'Hurum', 0.10]], '3025', '3203', 'Asker'),
  },
  {
    key: '3205', name: 'Lillestrøm', pop2024: 92400, growth: 0.014, asss: true, kostraGroup: 'EKG12',
    eras: r2020r2024([['0231', 'Skedsmo', 0.62], ['0227', 'Fet', 0.13], ['0226', 'Sørum', 0.25]], '3030', '3205', 'Lillestrøm'),
  },
  { key: '3107', name: 'Fredrikstad', pop2024: 85200, growth: 0.008, asss: true, kostraGroup: 'EKG12', eras: r2020r2024([['0106', 'Fredrikstad']], '3004', '3107', 'Fredrikstad') },
  {
    key: '3301', name: 'Drammen', pop2024: 103300, growth: 0.010, asss: true, kostraGroup: 'EKG12',
    eras: r2020r2024([['0602', 'Drammen', 0.69], ['0625', 'Nedre Eiker', 0.25], ['0711', 'Svelvik', 0.06]], '3005', '3301', 'Drammen'),
  },
  {
    key: '4204', name: 'Kristiansand', pop2024: 116900, growth: 0.009, asss: true, kostraGroup: 'EKG12',
    eras: r2020([['1001', 'Kristiansand', 0.81], ['1017', 'Songdalen', 0.06], ['1018', 'Søgne', 0.13]], '4204', 'Kristiansand'),
  },
  {
    key: '1103', name: 'Stavanger', pop2024: 149000, growth: 0.007, asss: true, kostraGroup: 'EKG12',
    eras: r2020([['1103', 'Stavanger', 0.94], ['1141', 'Finnøy', 0.02], ['1142', 'Rennesøy', 0.04]], '1103', 'Stavanger'),
  },
  {
    key: '1108', name: 'Sandnes', pop2024: 83800, growth: 0.011, asss: true, kostraGroup: 'EKG12',
    eras: r2020([['1102', 'Sandnes', 0.986], ['1129', 'Forsand', 0.014]], '1108', 'Sandnes'),
  },
  { key: '4601', name: 'Bergen', pop2024: 289300, growth: 0.007, asss: true, kostraGroup: 'EKG12', eras: r2020([['1201', 'Bergen']], '4601', 'Bergen') },
  {
    key: '5001', name: 'Trondheim - Tråante', pop2024: 214600, growth: 0.010, asss: true, kostraGroup: 'EKG12',
    eras: [
      { from: FIRST_YEAR, to: 2017, codes: [['1601', 'Trondheim', 0.955], ['1662', 'Klæbu', 0.045]] },
      { from: 2018, to: 2019, codes: [['5001', 'Trondheim', 0.955], ['5030', 'Klæbu', 0.045]] },
      { from: 2020, codes: [['5001', 'Trondheim - Tråante']] },
    ],
  },
  {
    key: '5501', name: 'Tromsø - Romsa - Tromssa', pop2024: 78700, growth: 0.009, asss: true, kostraGroup: 'EKG12',
    eras: r2020r2024([['1902', 'Tromsø']], '5401', '5501', 'Tromsø - Romsa - Tromssa'),
  },

  // ---- Østfold (Viken 2020–2023) ----
  { key: '3101', name: 'Halden', pop2024: 31900, growth: 0.004, kostraGroup: 'EKG11', eras: r2020r2024([['0101', 'Halden']], '3001', '3101', 'Halden') },
  { key: '3103', name: 'Moss', pop2024: 51000, growth: 0.008, kostraGroup: 'EKG11', eras: r2020r2024([['0104', 'Moss', 0.65], ['0136', 'Rygge', 0.35]], '3002', '3103', 'Moss') },
  { key: '3105', name: 'Sarpsborg', pop2024: 59000, growth: 0.007, kostraGroup: 'EKG11', eras: r2020r2024([['0105', 'Sarpsborg']], '3003', '3105', 'Sarpsborg') },
  // ---- Akershus (Viken 2020–2023) ----
  { key: '3207', name: 'Nordre Follo', pop2024: 63000, growth: 0.012, eras: r2020r2024([['0213', 'Ski', 0.49], ['0217', 'Oppegård', 0.51]], '3020', '3207', 'Nordre Follo') },
  { key: '3209', name: 'Ullensaker', pop2024: 42000, growth: 0.018, eras: r2020r2024([['0235', 'Ullensaker']], '3033', '3209', 'Ullensaker') },
  { key: '3222', name: 'Lørenskog', pop2024: 48500, growth: 0.013, eras: r2020r2024([['0230', 'Lørenskog']], '3029', '3222', 'Lørenskog') },
  { key: '3218', name: 'Ås', pop2024: 22000, growth: 0.014, eras: r2020r2024([['0214', 'Ås']], '3021', '3218', 'Ås') },
  { key: '3240', name: 'Eidsvoll', pop2024: 27200, growth: 0.013, eras: r2020r2024([['0237', 'Eidsvoll']], '3035', '3240', 'Eidsvoll') },
  { key: '3232', name: 'Nittedal', pop2024: 25300, growth: 0.009, eras: r2020r2024([['0233', 'Nittedal']], '3031', '3232', 'Nittedal') },
  // ---- Buskerud (Viken 2020–2023) ----
  { key: '3303', name: 'Kongsberg', pop2024: 28500, growth: 0.008, eras: r2020r2024([['0604', 'Kongsberg']], '3006', '3303', 'Kongsberg') },
  { key: '3305', name: 'Ringerike', pop2024: 31500, growth: 0.006, eras: r2020r2024([['0605', 'Ringerike']], '3007', '3305', 'Ringerike') },
  { key: '3312', name: 'Lier', pop2024: 27700, growth: 0.010, eras: r2020r2024([['0626', 'Lier']], '3049', '3312', 'Lier') },
  // ---- Vestfold (Vestfold og Telemark 2020–2023), with the 2017 and 2018 mergers ----
  { key: '3901', name: 'Horten', pop2024: 27800, growth: 0.006, kostraGroup: 'EKG11', eras: r2020r2024([['0701', 'Horten']], '3801', '3901', 'Horten') },
  { key: '3905', name: 'Tønsberg', pop2024: 58000, growth: 0.009, kostraGroup: 'EKG11', eras: r2020r2024([['0704', 'Tønsberg', 0.84], ['0716', 'Re', 0.16]], '3803', '3905', 'Tønsberg') },
  {
    key: '3907', name: 'Sandefjord', pop2024: 65700, growth: 0.008, kostraGroup: 'EKG11',
    eras: [
      { from: FIRST_YEAR, to: 2016, codes: [['0706', 'Sandefjord', 0.71], ['0719', 'Andebu', 0.09], ['0720', 'Stokke', 0.20]] },
      { from: 2017, to: 2019, codes: [['0710', 'Sandefjord']] },
      { from: 2020, to: 2023, codes: [['3804', 'Sandefjord']] },
      { from: 2024, codes: [['3907', 'Sandefjord']] },
    ],
  },
  {
    key: '3909', name: 'Larvik', pop2024: 48100, growth: 0.006, kostraGroup: 'EKG11',
    eras: [
      { from: FIRST_YEAR, to: 2017, codes: [['0709', 'Larvik', 0.95], ['0728', 'Lardal', 0.05]] },
      { from: 2018, to: 2019, codes: [['0712', 'Larvik']] },
      { from: 2020, to: 2023, codes: [['3805', 'Larvik']] },
      { from: 2024, codes: [['3909', 'Larvik']] },
    ],
  },
  {
    key: '3911', name: 'Færder', pop2024: 27300, growth: 0.005,
    eras: [
      { from: FIRST_YEAR, to: 2017, codes: [['0722', 'Nøtterøy', 0.78], ['0723', 'Tjøme', 0.22]] },
      { from: 2018, to: 2019, codes: [['0729', 'Færder']] },
      { from: 2020, to: 2023, codes: [['3811', 'Færder']] },
      { from: 2024, codes: [['3911', 'Færder']] },
    ],
  },
  // ---- Telemark (Vestfold og Telemark 2020–2023) ----
  { key: '4001', name: 'Porsgrunn', pop2024: 37400, growth: 0.005, kostraGroup: 'EKG11', eras: r2020r2024([['0805', 'Porsgrunn']], '3806', '4001', 'Porsgrunn') },
  { key: '4003', name: 'Skien', pop2024: 56500, growth: 0.006, kostraGroup: 'EKG11', eras: r2020r2024([['0806', 'Skien']], '3807', '4003', 'Skien') },
  { key: '4005', name: 'Notodden', pop2024: 13100, growth: 0.002, eras: r2020r2024([['0807', 'Notodden']], '3808', '4005', 'Notodden') },
  // ---- Innlandet (2020, unchanged in 2024) ----
  { key: '3403', name: 'Hamar', pop2024: 32300, growth: 0.008, kostraGroup: 'EKG11', eras: r2020([['0403', 'Hamar']], '3403', 'Hamar') },
  { key: '3405', name: 'Lillehammer', pop2024: 29100, growth: 0.006, kostraGroup: 'EKG11', eras: r2020([['0501', 'Lillehammer']], '3405', 'Lillehammer') },
  { key: '3407', name: 'Gjøvik', pop2024: 30800, growth: 0.005, kostraGroup: 'EKG11', eras: r2020([['0502', 'Gjøvik']], '3407', 'Gjøvik') },
  { key: '3411', name: 'Ringsaker', pop2024: 35000, growth: 0.005, eras: r2020([['0412', 'Ringsaker']], '3411', 'Ringsaker') },
  { key: '3420', name: 'Elverum', pop2024: 21900, growth: 0.004, eras: r2020([['0427', 'Elverum']], '3420', 'Elverum') },
  // ---- Rogaland (unchanged) ----
  { key: '1106', name: 'Haugesund', pop2024: 38300, growth: 0.004, kostraGroup: 'EKG11', eras: simple('1106', 'Haugesund') },
  { key: '1149', name: 'Karmøy', pop2024: 43100, growth: 0.003, eras: simple('1149', 'Karmøy') },
  { key: '1124', name: 'Sola', pop2024: 28500, growth: 0.010, eras: simple('1124', 'Sola') },
  { key: '1101', name: 'Eigersund', pop2024: 15200, growth: 0.002, eras: simple('1101', 'Eigersund') },
  // ---- Vestland (2020) ----
  { key: '4627', name: 'Askøy', pop2024: 30500, growth: 0.009, eras: r2020([['1247', 'Askøy']], '4627', 'Askøy') },
  { key: '4626', name: 'Øygarden', pop2024: 39600, growth: 0.010, eras: r2020([['1246', 'Fjell', 0.66], ['1245', 'Sund', 0.19], ['1259', 'Øygarden', 0.15]], '4626', 'Øygarden') },
  { key: '4624', name: 'Bjørnafjorden', pop2024: 26000, growth: 0.011, eras: r2020([['1243', 'Os', 0.83], ['1241', 'Fusa', 0.17]], '4624', 'Bjørnafjorden') },
  { key: '4614', name: 'Stord', pop2024: 19000, growth: 0.004, eras: r2020([['1221', 'Stord']], '4614', 'Stord') },
  // ---- Nordland (a 2020 merger and a split of Tysfjord) ----
  { key: '1804', name: 'Bodø', pop2024: 53700, growth: 0.008, kostraGroup: 'EKG11', eras: simple('1804', 'Bodø') },
  { key: '1806', name: 'Narvik', pop2024: 21500, growth: 0.001, eras: r2020([['1805', 'Narvik', 0.85], ['1854', 'Ballangen', 0.10], ['1850', 'Tysfjord', 0.05]], '1806', 'Narvik') },
  { key: '1875', name: 'Hamarøy', pop2024: 2700, growth: -0.004, kostraGroup: 'EKG01', eras: r2020([['1849', 'Hamarøy', 0.55], ['1850', 'Tysfjord', 0.45]], '1875', 'Hamarøy') },
  { key: '1833', name: 'Rana', pop2024: 26400, growth: 0.002, eras: simple('1833', 'Rana') },
  { key: '1865', name: 'Vågan', pop2024: 9700, growth: 0.002, kostraGroup: 'EKG01', eras: simple('1865', 'Vågan') },
  // ---- Trøndelag (2018, and 2020) ----
  {
    key: '5006', name: 'Steinkjer', pop2024: 24100, growth: 0.003,
    eras: [
      { from: FIRST_YEAR, to: 2017, codes: [['1702', 'Steinkjer', 0.9], ['1724', 'Verran', 0.1]] },
      { from: 2018, to: 2019, codes: [['5004', 'Steinkjer', 0.9], ['5039', 'Verran', 0.1]] },
      { from: 2020, codes: [['5006', 'Steinkjer']] },
    ],
  },
  { key: '5035', name: 'Stjørdal', pop2024: 24800, growth: 0.008, eras: [{ from: FIRST_YEAR, to: 2017, codes: [['1714', 'Stjørdal']] }, { from: 2018, codes: [['5035', 'Stjørdal']] }] },
  { key: '5037', name: 'Levanger', pop2024: 20500, growth: 0.006, eras: [{ from: FIRST_YEAR, to: 2017, codes: [['1719', 'Levanger']] }, { from: 2018, codes: [['5037', 'Levanger']] }] },
  { key: '5031', name: 'Malvik', pop2024: 14700, growth: 0.009, eras: [{ from: FIRST_YEAR, to: 2017, codes: [['1663', 'Malvik']] }, { from: 2018, codes: [['5031', 'Malvik']] }] },
  // ---- Møre og Romsdal (Ålesund merged in 2020 and split again in 2024) ----
  {
    key: '1508', name: 'Ålesund', pop2024: 58000, growth: 0.007, kostraGroup: 'EKG11',
    eras: [
      { from: FIRST_YEAR, to: 2019, codes: [['1504', 'Ålesund', 0.83], ['1546', 'Sandøy', 0.02], ['1529', 'Skodje', 0.09], ['1523', 'Ørskog', 0.06]] },
      { from: 2020, to: 2023, codes: [['1507', 'Ålesund']] },
      { from: 2024, codes: [['1508', 'Ålesund']] },
    ],
  },
  {
    key: '1580', name: 'Haram', pop2024: 9400, growth: 0.004,
    eras: [
      { from: FIRST_YEAR, to: 2019, codes: [['1534', 'Haram']] },
      { from: 2020, to: 2023, codes: [['1507', 'Ålesund']] },
      { from: 2024, codes: [['1580', 'Haram']] },
    ],
  },
  { key: '1506', name: 'Molde', pop2024: 32900, growth: 0.005, kostraGroup: 'EKG11', eras: r2020([['1502', 'Molde', 0.83], ['1543', 'Nesset', 0.11], ['1545', 'Midsund', 0.06]], '1506', 'Molde') },
  { key: '1505', name: 'Kristiansund', pop2024: 24300, growth: 0.001, eras: simple('1505', 'Kristiansund') },
  // ---- Agder (2020) ----
  { key: '4203', name: 'Arendal', pop2024: 45800, growth: 0.006, kostraGroup: 'EKG11', eras: r2020([['0906', 'Arendal']], '4203', 'Arendal') },
  { key: '4202', name: 'Grimstad', pop2024: 24700, growth: 0.010, eras: r2020([['0904', 'Grimstad']], '4202', 'Grimstad') },
  { key: '4205', name: 'Lindesnes', pop2024: 23700, growth: 0.006, eras: r2020([['1002', 'Mandal', 0.67], ['1021', 'Marnardal', 0.10], ['1029', 'Lindesnes', 0.23]], '4205', 'Lindesnes') },
  { key: '4223', name: 'Vennesla', pop2024: 15200, growth: 0.006, eras: r2020([['1014', 'Vennesla']], '4223', 'Vennesla') },
  // ---- Troms og Finnmark (2020–2023) → Troms / Finnmark (2024) ----
  { key: '5503', name: 'Harstad - Hárstták', pop2024: 24900, growth: 0.002, eras: r2020r2024([['1903', 'Harstad']], '5402', '5503', 'Harstad - Hárstták') },
  { key: '5601', name: 'Alta', pop2024: 21800, growth: 0.007, eras: r2020r2024([['2012', 'Alta']], '5403', '5601', 'Alta') },
  {
    key: '5530', name: 'Senja', pop2024: 14800, growth: -0.002, kostraGroup: 'EKG01',
    eras: r2020r2024([['1931', 'Lenvik', 0.77], ['1927', 'Tranøy', 0.10], ['1928', 'Torsken', 0.06], ['1929', 'Berg', 0.07]], '5421', '5530', 'Senja'),
  },
  { key: '5605', name: 'Sør-Varanger', pop2024: 9900, growth: 0.001, kostraGroup: 'EKG01', eras: r2020r2024([['2030', 'Sør-Varanger']], '5444', '5605', 'Sør-Varanger') },
];

/** Municipality keys of ASSS u/Oslo (KOSTRA group 12), in list order. */
export const ASSS_U_OSLO_KEYS = LINEAGES.filter((l) => l.asss).map((l) => l.key);

export type RegionKind = 'municipality' | 'country' | 'country-ex-oslo' | 'kostra-group' | 'county';

export interface RegionCode {
  code: string;
  /** plain name (Klass name), without validity */
  name: string;
  /** SSB label with validity: "Bærum (-2019)", "Bærum (2020-2023)", "Bærum" */
  label: string;
  kind: RegionKind;
  validFrom: number;
  /** inclusive, undefined = valid now */
  validTo?: number;
  /** municipality codes: year -> [{lineage key, w}] */
  parts?: Map<number, { lineage: string; w: number }[]>;
}

export function validIn(r: { validFrom: number; validTo?: number }, year: number): boolean {
  return year >= r.validFrom && (r.validTo === undefined || year <= r.validTo);
}

function validityLabel(name: string, from: number, to: number | undefined): string {
  if (to === undefined) return name;
  if (from <= FIRST_YEAR) return `${name} (-${to})`;
  return `${name} (${from}-${to})`;
}

/** Municipality codes built from the lineages (one entry per code, shared codes merged). */
export function buildMunicipalityCodes(): RegionCode[] {
  const byCode = new Map<string, RegionCode>();
  for (const l of LINEAGES) {
    for (const era of l.eras) {
      for (const [code, name, w = 1] of era.codes) {
        let rc = byCode.get(code);
        if (!rc) {
          rc = { code, name, label: '', kind: 'municipality', validFrom: era.from, validTo: era.to, parts: new Map() };
          byCode.set(code, rc);
        }
        rc.validFrom = Math.min(rc.validFrom, era.from);
        if (rc.validTo !== undefined) rc.validTo = era.to === undefined ? undefined : Math.max(rc.validTo, era.to);
        // the newest era's name wins (Trondheim -> Trondheim - Tråante)
        if (era.to === undefined || (rc.validTo !== undefined && era.to >= rc.validTo)) rc.name = name;
        for (let y = era.from; y <= (era.to ?? POP_LAST_YEAR); y++) {
          const list = rc.parts!.get(y) ?? [];
          list.push({ lineage: l.key, w });
          rc.parts!.set(y, list);
        }
      }
    }
  }
  const out = [...byCode.values()];
  for (const rc of out) rc.label = validityLabel(rc.name, rc.validFrom, rc.validTo);
  out.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return out;
}

export interface AggregateSpec {
  code: string;
  label: string;
  name: string;
  kind: RegionKind;
  validFrom: number;
  validTo?: number;
  /** county aggregates: municipality code prefix(es) summed over codes valid in the year */
  codePrefixes?: string[];
  /** KOSTRA groups: member lineages */
  members?: string[];
}

/** SSB's KOSTRA aggregates (EAK, EAKUO, EKGnn) and a few counties (EKAnn) that the ETL must filter out. */
export function aggregateSpecs(): AggregateSpec[] {
  const group = (g: string) => LINEAGES.filter((l) => l.kostraGroup === g).map((l) => l.key);
  return [
    { code: 'EAK', name: 'Landet', label: 'Landet', kind: 'country', validFrom: FIRST_YEAR },
    { code: 'EAKUO', name: 'Landet uten Oslo', label: 'Landet uten Oslo', kind: 'country-ex-oslo', validFrom: FIRST_YEAR },
    { code: 'EKA02', name: 'Akershus', label: 'Akershus (-2019)', kind: 'county', validFrom: FIRST_YEAR, validTo: 2019, codePrefixes: ['02'] },
    { code: 'EKA03', name: 'Oslo', label: 'Oslo', kind: 'county', validFrom: FIRST_YEAR, codePrefixes: ['03'] },
    { code: 'EKA30', name: 'Viken', label: 'Viken (2020-2023)', kind: 'county', validFrom: 2020, validTo: 2023, codePrefixes: ['30'] },
    { code: 'EKA32', name: 'Akershus', label: 'Akershus', kind: 'county', validFrom: 2024, codePrefixes: ['32'] },
    { code: 'EKA46', name: 'Vestland', label: 'Vestland', kind: 'county', validFrom: 2020, codePrefixes: ['46'] },
    { code: 'EKG01', name: 'Kostragruppe 1', label: 'Kostragruppe 1', kind: 'kostra-group', validFrom: FIRST_YEAR, members: group('EKG01') },
    { code: 'EKG11', name: 'Kostragruppe 11', label: 'Kostragruppe 11', kind: 'kostra-group', validFrom: FIRST_YEAR, members: group('EKG11') },
    { code: 'EKG12', name: 'Kostragruppe 12', label: 'Kostragruppe 12', kind: 'kostra-group', validFrom: FIRST_YEAR, members: group('EKG12') },
    { code: 'EKG13', name: 'Kostragruppe 13', label: 'Kostragruppe 13', kind: 'kostra-group', validFrom: FIRST_YEAR, members: group('EKG13') },
  ];
}

export interface CodeChange {
  oldCode: string;
  oldName: string;
  newCode: string;
  newName: string;
  changeOccurred: string;
}

/**
 * Klass 131 `changes` rows implied by the lineages: every code of an era mapped to its successor(s) in the next
 * era (one new code: all map to it; several: by equal name, or the explicit `next`). Unchanged codes give no row.
 */
export function buildCodeChanges(): CodeChange[] {
  const seen = new Set<string>();
  const rows: CodeChange[] = [];
  const nameOf = new Map(buildMunicipalityCodes().map((c) => [c.code, c.name]));
  const plain = (code: string, eraName: string) => eraName || nameOf.get(code)!;
  for (const l of LINEAGES) {
    for (let i = 0; i + 1 < l.eras.length; i++) {
      const cur = l.eras[i];
      const nxt = l.eras[i + 1];
      for (const [oldCode, oldName, , next] of cur.codes) {
        let targets: EraCode[];
        if (next) targets = nxt.codes.filter((c) => next.includes(c[0]));
        else if (nxt.codes.length === 1) targets = nxt.codes;
        else targets = nxt.codes.filter((c) => c[1] === oldName);
        if (targets.length === 0) throw new Error(`demo regions: no successor for ${oldCode} ${oldName} in lineage ${l.key}`);
        for (const [newCode, newName] of targets) {
          if (newCode === oldCode) continue;
          const changeOccurred = `${nxt.from}-01-01`;
          const k = `${oldCode}>${newCode}@${changeOccurred}`;
          if (seen.has(k)) continue;
          seen.add(k);
          rows.push({ oldCode, oldName: plain(oldCode, oldName), newCode, newName: plain(newCode, newName), changeOccurred });
        }
      }
    }
  }
  rows.sort((a, b) =>
    a.changeOccurred !== b.changeOccurred ? (a.changeOccurred < b.changeOccurred ? -1 : 1) : a.oldCode < b.oldCode ? -1 : a.oldCode > b.oldCode ? 1 : a.newCode < b.newCode ? -1 : 1,
  );
  return rows;
}

