/**
 * The GraphQL operations behind the report page. They are ordinary queries against the public API, sent
 * by the browser exactly as written here (with variables), so that the "query" links can open the very
 * same operation in the explorer. Kept apart from the page script so that a test can validate them
 * against the schema without a browser.
 */

/** The report's eight key ratios of brutto driftsinntekter, in the report's order, with its short names. */
export const REPORT_RATIOS: readonly { metric: string; label: string }[] = [
  { metric: 'resultatgrad', label: 'Netto driftsresultat' },
  { metric: 'frie_inntekter_pct_bdi', label: 'Frie inntekter' },
  { metric: 'skatteinntekter_pct_bdi', label: 'Skatteinntekter' },
  { metric: 'netto_finansutgifter_pct_bdi', label: 'Finansutgifter netto' },
  { metric: 'netto_avdrag_pct_bdi', label: 'Avdragsutgifter' },
  { metric: 'brutto_investeringsutgifter_pct_bdi', label: 'Brutto investeringsutgifter' },
  { metric: 'netto_lanegjeld_pct_bdi', label: 'Netto lånegjeld' },
  { metric: 'disposisjonsfond_pct_bdi', label: 'Disposisjonsfond' },
];

/** The region the report calls "Landet". */
export const COUNTRY_REGION = 'EAK';

/**
 * `years` also lists years that hold only population figures (1 January of the year after the last
 * accounts): the years with the country's brutto driftsinntekter are the report's years.
 */
const CHOICES = `query ReportChoices {
  municipalities { key name }
  peerGroups { id name }
  years
  accountsYears: facts(filter: { indicators: ["bdi"], regions: ["${COUNTRY_REGION}"], onlyWithValues: true }, first: 100) {
    edges { node { year } }
  }
}`;

const STATUS_INDEX = `query ReportStatusIndex($municipality: String!, $peerGroup: String!, $year: Int!) {
${REPORT_RATIOS.map((r) => `  ${r.metric}: peerComparison(metric: "${r.metric}", peerGroup: $peerGroup, year: $year, highlight: [$municipality]) {\n    ...IndexRow\n  }`).join('\n')}
}

fragment IndexRow on PeerComparison {
  metric { id label decimals }
  peerGroup { name }
  weightedAverage { value reason }
  highest { municipality { name } value rounded indexRounded reason }
  lowest { municipality { name } value rounded indexRounded reason }
  highlighted { municipality { name } value rounded indexRounded rank reason }
  members { rank }
}`;

const RATIO_SERIES = `query ReportRatioSeries($subjects: [SubjectInput!]!, $years: YearsInput!) {
${REPORT_RATIOS.map((r) => `  ${r.metric}: metricSeries(metric: "${r.metric}", subjects: $subjects, years: $years) {\n    ...Series\n  }`).join('\n')}
}

fragment Series on MetricTable {
  metric { id label decimals }
  series { subject { name } points { year value rounded reason } }
}`;

const SERVICE_AREAS = `query ReportServiceAreas($columns: [ServiceAreaColumnInput!]!, $inflateTo: Int!) {
  serviceAreaTable(columns: $columns, needCorrected: true, inflateTo: $inflateTo) {
    metric { label decimals }
    rows { grouping { id label parentId } cells { subject { name } year value sharePct reason } }
    totals { subject { name } year value sharePct reason }
  }
}`;

const TAX_GROWTH = `query ReportTaxGrowth($municipality: String!, $peerGroup: String!, $from: Int!, $to: Int!, $shareFrom: Int!) {
  skatt: metricSeries(metric: "skatt", subjects: [{ municipality: $municipality }], years: { from: $from, to: $to }) {
    metric { label }
    series {
      subject { name }
      points { year value changePct reason }
      geometric: averageAnnualGrowth(from: $from, to: $to) { value reason }
      meanOfYearOnYear: averageAnnualGrowth(from: $from, to: $to, method: MEAN_OF_YEAR_ON_YEAR) { value reason }
    }
  }
  share: metricSeries(metric: "skatteinntekter_pct_bdi", subjects: [{ municipality: $municipality }, { peerGroup: $peerGroup }], years: { from: $shareFrom, to: $to }) {
    metric { label decimals }
    series { subject { name } periodAverage(from: $shareFrom, to: $to) { value reason } }
  }
}`;

/** Production, gross expenditure and efficiency per service against the peer group (need-corrected, like the service areas). */
const EFFICIENCY = `query ReportEfficiency($municipality: String!, $peerGroup: String!, $from: Int!, $to: Int!) {
  efficiencyTable(subject: { municipality: $municipality }, reference: { peerGroup: $peerGroup }, years: { from: $from, to: $to }, needCorrected: true) {
    reference { name }
    services { grouping { id label } points { year productionIndex costIndex efficiency reason } }
    combined { year productionIndex costIndex efficiency reason }
  }
}`;

export const REPORT_OPERATIONS = {
  choices: CHOICES,
  statusIndex: STATUS_INDEX,
  ratioSeries: RATIO_SERIES,
  serviceAreas: SERVICE_AREAS,
  taxGrowth: TAX_GROWTH,
  efficiency: EFFICIENCY,
} as const;

export type ReportOperationName = keyof typeof REPORT_OPERATIONS;
