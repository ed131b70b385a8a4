/**
 * What the synthetic demo data must reproduce: the published figures of Bærum kommune's "KOSTRA analyse 2025"
 * (2024 figures), transcribed in /shared/data (copied to test/fixtures/report), and the unrounded values the
 * generator aims at so that every figure comes out at the published precision.
 *
 * Unrounded anchors: a ratio published as "2,3 %" may be anything in [2.25, 2.35). The report's index table was
 * computed from unrounded values, so the anchors for 2024 were solved jointly: an ASSS average and member values
 * that round to the published ratios AND give the published indices (member / ASSS average × 100). The anchors
 * below sit in the middle of those joint windows (see the comments for the few deliberate choices).
 */

export type RatioMetric =
  | 'netto_driftsresultat'
  | 'frie_inntekter'
  | 'skatteinntekter'
  | 'netto_finansutgifter'
  | 'netto_avdrag'
  | 'brutto_investeringsutgifter'
  | 'netto_lanegjeld'
  | 'disposisjonsfond';

/** The accounting concept (KOKartkap0000) whose amount / AGD13 × 100 gives each ratio; tables.ts LAYOUTS says which table holds it. */
export const RATIO_CONCEPT: Record<RatioMetric, string> = {
  netto_driftsresultat: 'AGD23',
  frie_inntekter: 'AG11',
  skatteinntekter: 'AG12',
  netto_finansutgifter: 'AGD86',
  netto_avdrag: 'AGD21',
  brutto_investeringsutgifter: 'AGI1',
  netto_lanegjeld: 'KG31',
  disposisjonsfond: '56',
};

export const RATIO_METRICS = Object.keys(RATIO_CONCEPT) as RatioMetric[];

export type Series5 = [number, number, number, number, number];

export interface RatioAnchors {
  /** unrounded values 2020–2024 */
  baerum: Series5;
  asker: Series5;
  /** weighted average Σ concept / Σ AGD13 over ASSS u/Oslo */
  asss: Series5;
  landet: Series5;
  /** 2024: the member with the highest and the lowest ratio (municipality key) and their unrounded values */
  highest: { key: string; value: number };
  lowest: { key: string; value: number };
}

/**
 * Joint solution for 2024 (ratio windows ∩ index windows), by metric:
 * - netto driftsresultat: ASSS 0.075965 → Bærum 2.2546 (index 2968), Asker 2.5122 (3307), highest Stavanger
 *   3.4974 (4604, "3,5 prosent"), lowest Tromsø −3.6737 (−4836, "−3,7"); Bærum third highest.
 *   ASSS 2021 = 5.19 so the fall 2021→2024 rounds to 5.1 pp; Landet 2021 = 4.31 (fall 3.5 pp).
 * - netto avdrag: the report is inconsistent here — Bærum and Asker are both 3.6 % in the series, yet their
 *   indices are 91 and 103 (with ASSS 4.1 % both must be 87–90). The series wins (it is what the tables show);
 *   both indices come out 90. Highest (124) and lowest (79) are reproduced.
 * - skatteinntekter: Bærum's unrounded shares sit low in their windows so that the 2021–2024 average rounds to the
 *   report's "62 prosent", and ASSS's to "cirka 43".
 * - disposisjonsfond: Bærum 2020 31.2 and 2023 28.2 so the falls to 2024 round to 6 and 3 pp as in the text.
 */
export const RATIO_ANCHORS: Record<RatioMetric, RatioAnchors> = {
  netto_driftsresultat: {
    baerum: [6.0, 7.3, 3.4, 3.7, 2.254641],
    asker: [3.9, 4.4, -0.7, 3.2, 2.512163],
    asss: [3.5, 5.19, 2.8, 1.6, 0.075965],
    landet: [2.7, 4.31, 3.0, 3.0, 0.8],
    highest: { key: '1103', value: 3.497429 },
    lowest: { key: '5501', value: -3.673667 },
  },
  frie_inntekter: {
    baerum: [74, 75, 76, 75, 73.265627],
    asker: [73, 75, 75, 74, 72.765627],
    asss: [69, 70, 70, 69, 67.936],
    landet: [66, 66, 67, 67, 65],
    highest: { key: '3201', value: 73.265627 },
    lowest: { key: '3107', value: 63.859887 },
  },
  skatteinntekter: {
    baerum: [56.6, 61.6, 68.6, 61.6, 57.6],
    asker: [49, 55, 58, 52, 50],
    asss: [41, 43.6, 46.6, 42.6, 40.6],
    landet: [35, 38, 41, 41, 37],
    // no index row: the extremes are whatever the free members give
    highest: { key: '3201', value: 57.6 },
    lowest: { key: '', value: NaN },
  },
  netto_finansutgifter: {
    baerum: [2.9, 2.4, 6.4, 3.0, 3.717079],
    asker: [2.7, 3.1, 7.9, 4.5, 5.013735],
    asss: [3.2, 3.3, 5.0, 3.5, 4.32219],
    landet: [3.9, 3.9, 4.4, 4.4, 4.4],
    highest: { key: '3205', value: 7.304493 },
    lowest: { key: '1103', value: 2.80942 },
  },
  netto_avdrag: {
    baerum: [3.5, 3.6, 3.5, 3.3, 3.64],
    asker: [3.6, 4.2, 4.0, 3.8, 3.64],
    asss: [3.8, 4.2, 4.5, 4.1, 4.06],
    landet: [3.8, 4.1, 4.1, 4.1, 4.3],
    highest: { key: '5501', value: 5.0344 },
    lowest: { key: '1103', value: 3.2074 },
  },
  brutto_investeringsutgifter: {
    baerum: [24, 18, 18, 23, 15.562812],
    asker: [22, 16, 31, 14, 18.989992],
    asss: [15, 14, 15, 15, 14.9527],
    landet: [16, 15, 15, 15, 15],
    highest: { key: '3203', value: 18.989992 },
    lowest: { key: '3107', value: 10.76598 },
  },
  netto_lanegjeld: {
    baerum: [73, 72, 75, 82, 83.321882],
    asker: [84, 83, 98, 97, 100.810397],
    asss: [90, 86, 87, 88, 89.8851],
    landet: [89, 87, 88, 88, 89],
    highest: { key: '5501', value: 123.096615 },
    lowest: { key: '1103', value: 71.009268 },
  },
  disposisjonsfond: {
    baerum: [31.2, 31, 29, 28.2, 25.248672],
    asker: [18, 18, 15, 14, 14.408928],
    asss: [15, 16, 16, 15, 13.2192],
    landet: [12, 13, 15, 15, 13],
    highest: { key: '3201', value: 25.248672 },
    lowest: { key: '3301', value: 0.925344 },
  },
};

/** Bærum's tax (AG12) growth as stated in the report; the geometric 2020–2024 average is the "4,5 prosent". */
export const BAERUM_TAX = { growth2021: 0.194, growth2023: -0.075, avgGrowth2020to2024: 0.045, growth2020: -0.015 };

/** National ratios before the report's period (plausible, for the demo's 2015–2019). */
export const LANDET_EARLY: Record<RatioMetric, [number, number, number, number, number]> = {
  netto_driftsresultat: [3.1, 4.1, 4.0, 2.5, 2.0],
  frie_inntekter: [68, 68, 68, 67, 67],
  skatteinntekter: [37, 38, 38, 37, 36],
  netto_finansutgifter: [3.3, 3.2, 3.2, 3.4, 3.7],
  netto_avdrag: [3.3, 3.4, 3.5, 3.6, 3.7],
  brutto_investeringsutgifter: [15, 16, 17, 17, 17],
  netto_lanegjeld: [80, 82, 84, 86, 88],
  disposisjonsfond: [9.5, 10.5, 11.5, 11.5, 11],
};

/**
 * Net operating expenditure per inhabitant, corrected for expenditure need and inflated to 2024 value (NOK), by
 * grouping of core/service-areas/service-areas.json. The published integers are the targets (they add up to the
 * published totals, and the shares then round to the published shares).
 */
export type ServiceSeries = 'baerum2022' | 'baerum2023' | 'baerum2024' | 'asker2024' | 'asss2024';

export const SERVICE_TARGETS: Record<string, Record<ServiceSeries, number>> = {
  grunnskole: { baerum2022: 16494, baerum2023: 17012, baerum2024: 16797, asker2024: 17673, asss2024: 17826 },
  pleie_omsorg: { baerum2022: 28964, baerum2023: 29787, baerum2024: 28851, asker2024: 25685, asss2024: 26256 },
  barnevern: { baerum2022: 2109, baerum2023: 2262, baerum2024: 2224, asker2024: 1804, asss2024: 2621 },
  barnehage: { baerum2022: 10696, baerum2023: 10980, baerum2024: 10860, asker2024: 10634, asss2024: 10797 },
  kommunehelse: { baerum2022: 5127, baerum2023: 4855, baerum2024: 4537, asker2024: 4467, asss2024: 4596 },
  sosiale_tjenester: { baerum2022: 3591, baerum2023: 4057, baerum2024: 4329, asker2024: 4482, asss2024: 4738 },
  kultur_idrett: { baerum2022: 3515, baerum2023: 3684, baerum2024: 3751, asker2024: 4241, asss2024: 3540 },
  plan_miljo: { baerum2022: 1276, baerum2023: 1670, baerum2024: 1438, asker2024: 1506, asss2024: 1280 },
  adm_styring: { baerum2022: 8192, baerum2023: 7785, baerum2024: 6608, asker2024: 5776, asss2024: 5602 },
  brann: { baerum2022: 891, baerum2023: 1005, baerum2024: 969, asker2024: 1061, asss2024: 913 },
  kommunale_boliger: { baerum2022: 694, baerum2023: 684, baerum2024: 615, asker2024: 276, asss2024: 619 },
  samferdsel: { baerum2022: 1276, baerum2023: 1512, baerum2024: 1387, asker2024: 1516, asss2024: 1019 },
  naering: { baerum2022: 100, baerum2023: 261, baerum2024: 377, asker2024: -193, asss2024: -41 },
  landbruk: { baerum2022: 543, baerum2023: 462, baerum2024: 664, asker2024: 220, asss2024: 212 },
  kirke: { baerum2022: 757, baerum2023: 777, baerum2024: 722, asker2024: 584, asss2024: 640 },
};

/** Typical need-corrected NOK per inhabitant (2024 value) for everyone else, by grouping. */
export const SERVICE_BASELINE: Record<string, number> = {
  grunnskole: 17600,
  pleie_omsorg: 26800,
  barnevern: 2500,
  barnehage: 10700,
  kommunehelse: 4700,
  sosiale_tjenester: 4300,
  kultur_idrett: 3300,
  plan_miljo: 1250,
  adm_styring: 6100,
  brann: 950,
  kommunale_boliger: 450,
  samferdsel: 1150,
  naering: 60,
  landbruk: 350,
  kirke: 700,
};

// ---------------------------------------------------------------------------------------------------------
// The efficiency section ("Ressursbruk, produksjon og effektivitet"): Bærum against ASSS u/Oslo, need-corrected

/**
 * Service volumes of the demo (the volume tables 11977, 12562, 11996, 12219, 12275, 12292): a count per inhabitant
 * at 31.12 (at need index 1.00) for everyone but Bærum's calibrated years, with a small yearly trend. `tenths`:
 * published with one decimal (full-time equivalents), kept in tenths in the model so every amount is an integer.
 */
export interface VolumeSpec {
  /** the indicator key of core/source-catalogue/source-catalogue.json */
  key: string;
  rate: number;
  sector: 'grunnskole' | 'pleie_omsorg' | 'barnehage' | 'kommunehelse' | 'sosialhjelp' | 'barnevern';
  trend: number;
  tenths?: boolean;
}

export const VOLUMES: VolumeSpec[] = [
  { key: 'elever_grunnskole_vektet', rate: 0.125, sector: 'grunnskole', trend: -0.004 },
  { key: 'barn_barnehage_korrigert', rate: 0.075, sector: 'barnehage', trend: -0.01 },
  { key: 'legeaarsverk', rate: 0.0011, sector: 'kommunehelse', trend: 0.015, tenths: true },
  { key: 'sosialhjelpsmottakere', rate: 0.024, sector: 'sosialhjelp', trend: -0.01 },
  { key: 'barn_barnevernstiltak', rate: 0.0075, sector: 'barnevern', trend: -0.02 },
  { key: 'beboere_sykehjem', rate: 0.0075, sector: 'pleie_omsorg', trend: 0.005 },
  { key: 'mottakere_hjemmetjenester', rate: 0.028, sector: 'pleie_omsorg', trend: 0.01 },
];

/** Production and cost index per year 2021–2024, Bærum against ASSS u/Oslo (= 100). */
export type IndexPath = [number, number, number, number];

/**
 * What the report states (2024 figures; "effektiviteten har endret seg fra å ligge 1,4 % over snitt ASSS i 2023 til
 * å være 0,1 % under"): combined production 100.1, cost 100.2 and so efficiency 99.9 in 2024; sosialtjenester
 * production 112.5 and efficiency 144.2; barnevern production 84.6 and efficiency 86.6; combined efficiency 101.4 in
 * 2023. Cost indices follow as production / efficiency × 100. Everything else is chosen to tell the report's story
 * of 2021–2024: combined production rising; cost a little under the average in 2021, clearly under in 2022 and
 * 2023, a little over in 2024; production rising in barnehage, barnevern, sosiale tjenester and pleie og omsorg,
 * flat in kommunehelse, slowly falling in grunnskole; costs rising in barnehage and barnevern, in grunnskole only
 * the last year; the 2022 cost fall in kommunehelse and pleie og omsorg; efficiency 2023→2024 falling most in
 * barnehage and grunnskole and rising most in kommunehelse. Pleie og omsorg is solved so the combined figures
 * come out (it weighs most).
 */
export const EFFICIENCY_TARGETS: {
  combined: { production: IndexPath; cost: IndexPath };
  services: Record<string, { production: IndexPath; cost: IndexPath }>;
  solvedService: string;
} = {
  combined: {
    production: [96.5, 97.3, (101.4 * 97.0) / 100, 100.1],
    cost: [99.3, 96.5, 97.0, 100.2],
  },
  services: {
    grunnskole: { production: [102, 101.5, 101, 100.5], cost: [103, 100, 99, 101.5] },
    barnehage: { production: [96, 98, 101, 102], cost: [98, 99, 101, 104.5] },
    kommunehelse: { production: [104, 104, 103, 104], cost: [103, 96, 99, 96] },
    sosiale_tjenester: { production: [100, 104, 110, 112.5], cost: [90, 86, 78, (112.5 * 100) / 144.2] },
    barnevern: { production: [76, 78, 81, 84.6], cost: [88, 91, 94, (84.6 * 100) / 86.6] },
  },
  solvedService: 'pleie_omsorg',
};
