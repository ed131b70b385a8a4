/*
 * Browser code of the report page, served as `/report/assets/report.js`.
 *
 * Like the explorer's client, tsc compiles this file as CommonJS (hence `export {}`, which keeps the local
 * types out of the global scope) and report.ts serves it wrapped in `(function (exports) { ... })({})`. It runs
 * after Chart.js's UMD bundle (both `defer`). The project compiles without the DOM lib, so the few DOM and
 * Chart.js shapes used here are declared structurally below. No imports: there is no bundler.
 *
 * The page is a plain client of the public GraphQL API: every figure comes from one of the operations in the
 * config (src/report/operations.ts), sent as written with variables, and links back to that operation in the
 * explorer.
 */
export {};

(function reportMain(): void {
  // ---- The DOM and Chart.js, as far as this page uses them ----
  interface El {
    textContent: string | null;
    value: string;
    readonly style: { width: string };
    readonly dataset: Record<string, string | undefined>;
    append(...nodes: (El | string)[]): void;
    replaceChildren(...nodes: (El | string)[]): void;
    setAttribute(name: string, value: string): void;
    removeAttribute(name: string): void;
    addEventListener(type: string, listener: () => void): void;
  }
  interface Doc {
    title: string;
    readonly body: El;
    getElementById(id: string): El | null;
    createElement(tag: string): El;
  }
  interface TooltipItem {
    datasetIndex: number;
    dataIndex: number;
    dataset: { label?: string };
  }
  interface ChartDataset {
    label: string;
    data: (number | null)[];
    borderColor?: string;
    backgroundColor?: string | string[];
    borderWidth?: number;
    borderDash?: number[];
    pointRadius?: number;
  }
  interface ChartConfig {
    type: 'line' | 'bar';
    data: { labels: string[]; datasets: ChartDataset[] };
    options: Record<string, unknown>;
  }
  interface ChartInstance {
    destroy(): void;
  }
  interface ChartStatic {
    new (canvas: El, config: ChartConfig): ChartInstance;
    defaults: { font: { family: string; size: number }; color: string };
  }
  interface BrowserGlobals {
    document: Doc;
    location: { search: string; pathname: string };
    history: { replaceState(data: unknown, unused: string, url: string): void };
    Chart?: ChartStatic;
  }

  // ---- What the server puts into the page ----
  interface Config {
    endpoint: string;
    explorer: string;
    operations: Record<OperationName, string>;
    ratios: { metric: string; label: string }[];
    country: string;
    defaults: { municipality: string; peerGroup: string };
  }
  type OperationName = 'choices' | 'statusIndex' | 'ratioSeries' | 'serviceAreas' | 'taxGrowth' | 'efficiency';

  // ---- Answers of those operations ----
  interface Named { name: string }
  interface Value { value: number | null; reason: string | null }
  interface Choices {
    municipalities: { key: string; name: string }[];
    peerGroups: { id: string; name: string }[];
    years: number[];
    accountsYears: { edges: { node: { year: number } }[] };
  }
  interface Ranked {
    municipality: Named;
    value: number | null;
    rounded: number | null;
    indexRounded: number | null;
    rank?: number | null;
    reason: string | null;
  }
  interface IndexRow {
    metric: { id: string; label: string; decimals: number };
    peerGroup: Named;
    weightedAverage: Value;
    highest: Ranked | null;
    lowest: Ranked | null;
    highlighted: Ranked[];
    members: { rank: number | null }[];
  }
  interface Point { year: number; value: number | null; rounded: number | null; reason: string | null }
  interface MetricTable {
    metric: { id: string; label: string; decimals: number };
    series: { subject: Named; points: Point[] }[];
  }
  interface ServiceCell { subject: Named; year: number; value: number | null; sharePct: number | null; reason: string | null }
  interface ServiceTable {
    serviceAreaTable: {
      metric: { label: string; decimals: number };
      rows: { grouping: { id: string; label: string; parentId: string | null }; cells: ServiceCell[] }[];
      totals: ServiceCell[];
    };
  }
  interface TaxGrowth {
    skatt: {
      metric: { label: string };
      series: {
        subject: Named;
        points: { year: number; value: number | null; changePct: number | null; reason: string | null }[];
        geometric: Value;
        meanOfYearOnYear: Value;
      }[];
    };
    share: { metric: { label: string; decimals: number }; series: { subject: Named; periodAverage: Value }[] };
  }
  interface EfficiencyPoint { year: number; productionIndex: number | null; costIndex: number | null; efficiency: number | null; reason: string | null }
  interface Efficiency {
    efficiencyTable: {
      reference: Named;
      services: { grouping: { id: string; label: string }; points: EfficiencyPoint[] }[];
      combined: EfficiencyPoint[];
    };
  }
  interface WarehouseExtension { version?: number; demo?: boolean; notice?: string }
  interface GraphQLBody<T> {
    data?: T | null;
    errors?: { message: string }[];
    extensions?: { warehouse?: WarehouseExtension };
  }

  /** One operation as run: where its figures came from, for the links and tooltips. */
  interface Source {
    operation: string;
    link: string;
  }
  // A type, not an interface, so that it passes as GraphQL variables (Record<string, unknown>).
  type Selection = {
    municipality: string;
    peerGroup: string;
    year: number;
  };

  const g = globalThis as unknown as BrowserGlobals;
  const doc = g.document;
  const LOCALE = 'nb-NO';
  const DASH = '–';
  const COLORS = { municipality: '#1f5fa8', group: '#d9730d', country: '#6f6f6f', negative: '#b3261e' };

  function byId(id: string): El {
    const el = doc.getElementById(id);
    if (!el) throw new Error(`the report page has no #${id}`);
    return el;
  }

  type Child = El | string | null | undefined | false;
  function h(tag: string, attrs: Record<string, string | undefined> = {}, ...children: Child[]): El {
    const el = doc.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) if (value !== undefined) el.setAttribute(name, value);
    for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child);
    return el;
  }

  /** Norwegian number formatting; a value that rounds to zero is shown without a minus sign. */
  function fmt(value: number, decimals: number): string {
    const shown = Number(value.toFixed(decimals)) === 0 ? 0 : value;
    return shown.toLocaleString(LOCALE, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  }
  const pct = (value: number, decimals: number): string => `${fmt(value, decimals)}\u00a0%`;

  /**
   * A figure, linked to the operation that produced it. A missing value is a dash whose tooltip is the API's
   * reason (never 0).
   */
  function figure(text: string | null, opts: { source: Source; path: string; cell: string; about?: string; reason?: string | null }): El {
    const lines = text === null
      ? [opts.reason ? `Mangler: ${opts.reason}` : 'Mangler verdi']
      : opts.about ? [opts.about] : [];
    lines.push(`Spørring ${opts.source.operation} → ${opts.path}`, 'Klikk for å åpne spørringen i GraphQL-utforskeren.');
    return h('a', {
      class: text === null ? 'figure missing' : 'figure',
      href: opts.source.link,
      target: '_blank',
      rel: 'noopener',
      title: lines.join('\n'),
      'data-cell': opts.cell,
    }, text ?? DASH);
  }

  function queryLink(source: Source): El {
    return h('a', {
      class: 'query-link',
      href: source.link,
      target: '_blank',
      rel: 'noopener',
      title: `Åpne ${source.operation} med variablene i GraphQL-utforskeren`,
    }, 'Spørring');
  }

  function config(): Config {
    return JSON.parse(byId('report-config').textContent ?? '{}') as Config;
  }

  const cfg = config();

  function explorerLink(operation: OperationName, variables: Record<string, unknown>): string {
    return `${cfg.explorer}#query=${encodeURIComponent(cfg.operations[operation])}&variables=${encodeURIComponent(JSON.stringify(variables, null, 2))}`;
  }

  function operationName(operation: OperationName): string {
    return /query\s+(\w+)/.exec(cfg.operations[operation])?.[1] ?? operation;
  }

  let latestVersion: number | undefined;

  /** Runs one of the page's operations against the public endpoint, like any other client would. */
  async function run<T>(operation: OperationName, variables: Record<string, unknown>): Promise<{ data: T; source: Source }> {
    const source = { operation: operationName(operation), link: explorerLink(operation, variables) };
    const response = await fetch(cfg.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query: cfg.operations[operation], variables, operationName: source.operation }),
    });
    let body: GraphQLBody<T>;
    try {
      body = (await response.json()) as GraphQLBody<T>;
    } catch {
      throw Object.assign(new Error(`the API answered HTTP ${response.status} without a GraphQL response`), { source });
    }
    showWarehouse(body.extensions?.warehouse);
    if (body.errors?.length || !body.data) {
      const messages = body.errors?.map((e) => e.message).join('; ') ?? `HTTP ${response.status}`;
      throw Object.assign(new Error(messages), { source });
    }
    return { data: body.data, source };
  }

  /** The demo label and the data version come with every answer; the newest answer wins. */
  function showWarehouse(warehouse: WarehouseExtension | undefined): void {
    if (!warehouse) return;
    if (typeof warehouse.version === 'number' && (latestVersion === undefined || warehouse.version >= latestVersion)) {
      latestVersion = warehouse.version;
      byId('data-version').textContent = `dataversjon ${warehouse.version}`;
    }
    const notice = byId('demo-notice');
    if (warehouse.demo) {
      notice.replaceChildren(h('strong', {}, 'Demodata'), ' ', warehouse.notice ?? 'Syntetiske tall, ikke SSB-statistikk.');
      notice.removeAttribute('hidden');
      byId('demo-badge').removeAttribute('hidden');
    } else {
      notice.setAttribute('hidden', '');
      byId('demo-badge').setAttribute('hidden', '');
    }
  }

  // ---- Sections ----
  interface SectionParts {
    title: El;
    link: El;
    body: El;
  }
  function section(id: string): SectionParts {
    const root = byId(id);
    const parts = { title: h('h2'), link: h('span', { class: 'query-slot' }), body: h('div', { class: 'section-body' }, h('p', { class: 'loading' }, 'Henter tallene…')) };
    root.replaceChildren(h('header', { class: 'section-header' }, parts.title, parts.link), parts.body);
    return parts;
  }

  function showError(parts: SectionParts, error: unknown): void {
    const source = (error as { source?: Source }).source;
    parts.link.replaceChildren(...(source ? [queryLink(source)] : []));
    parts.body.replaceChildren(h('p', { class: 'section-error', role: 'alert' }, `Kunne ikke hente tallene: ${(error as Error).message}`));
  }

  const charts = new Map<string, ChartInstance[]>();
  function replaceCharts(sectionId: string, next: ChartInstance[]): void {
    for (const chart of charts.get(sectionId) ?? []) chart.destroy();
    charts.set(sectionId, next);
  }

  function chartLib(): ChartStatic {
    if (!g.Chart) throw new Error('Chart.js did not load (check the server log for asset errors)');
    return g.Chart;
  }

  function windowOf(sel: Selection, years: number[]): { from: number; to: number } {
    return { from: Math.max(Math.min(...years), sel.year - 4), to: sel.year };
  }

  // 1. The status index table: each ratio as an index against the group's weighted average (= 100).
  async function statusIndex(sel: Selection, names: Names, isCurrent: () => boolean): Promise<void> {
    const parts = section('status');
    parts.title.textContent = `Status ${sel.year}: nøkkeltall som indeks, veid snitt ${names.peerGroup} = 100`;
    try {
      const { data, source } = await run<Record<string, IndexRow>>('statusIndex', sel);
      if (!isCurrent()) return;
      parts.link.replaceChildren(queryLink(source));
      const head = h('tr', {},
        h('th', { scope: 'col' }, 'Nøkkeltall'),
        h('th', { scope: 'col', class: 'num' }, names.peerGroup),
        h('th', { scope: 'col', class: 'num' }, 'Høyest'),
        h('th', { scope: 'col', class: 'num' }, 'Lavest'),
        h('th', { scope: 'col', class: 'num emphasis' }, names.municipality),
        h('th', { scope: 'col', class: 'num', title: `${names.municipality}, i prosent av brutto driftsinntekter` }, '% av BDI'),
        h('th', { scope: 'col', class: 'num' }, 'Rang'));
      const rows = cfg.ratios.map((ratio) => {
        const row = data[ratio.metric];
        const at = (field: string) => `${ratio.metric}.${field}`;
        const cell = (what: string) => `status:${ratio.metric}:${what}`;
        const decimals = row.metric.decimals;
        const average = row.weightedAverage;
        const member = (m: Ranked | null, field: 'highest' | 'lowest'): El => {
          if (!m) return h('td', { class: 'num' }, figure(null, { source, path: at(field), cell: cell(field), reason: average.reason }));
          return h('td', { class: 'num' },
            figure(m.indexRounded === null ? null : fmt(m.indexRounded, 0), {
              source, path: at(`${field}.indexRounded`), cell: cell(field), reason: m.reason,
              about: `${m.municipality.name}: ${m.rounded === null ? DASH : pct(m.rounded, decimals)} (indeks ${m.indexRounded})`,
            }),
            h('span', { class: 'member-name' }, m.municipality.name));
        };
        const own = row.highlighted[0];
        const rank = own?.rank ?? null;
        return h('tr', {},
          h('th', { scope: 'row', title: row.metric.label }, ratio.label),
          h('td', { class: 'num' }, figure(average.value === null ? null : '100', {
            source, path: at('weightedAverage.value'), cell: cell('average'), reason: average.reason,
            about: average.value === null ? undefined : `${row.peerGroup.name}, veid snitt: ${pct(average.value, decimals)} (= indeks 100)`,
          })),
          member(row.highest, 'highest'),
          member(row.lowest, 'lowest'),
          h('td', { class: 'num emphasis' }, figure(own?.indexRounded == null ? null : fmt(own.indexRounded, 0), {
            source, path: at('highlighted[0].indexRounded'), cell: cell('municipality'), reason: own?.reason,
            about: own ? `${own.municipality.name}: indeks ${own.indexRounded}` : undefined,
          })),
          h('td', { class: 'num' }, figure(own?.rounded == null ? null : pct(own.rounded, decimals), {
            source, path: at('highlighted[0].rounded'), cell: cell('value'), reason: own?.reason,
          })),
          h('td', { class: 'num' }, figure(rank === null ? null : `${rank} av ${row.members.length}`, {
            source, path: at('highlighted[0].rank'), cell: cell('rank'),
            reason: own?.reason ?? `${names.municipality} er ikke medlem av ${row.peerGroup.name}`,
          })));
      });
      parts.body.replaceChildren(h('table', { class: 'report-table status-table' },
        h('caption', {}, `Indeks 100 = veid snitt (Σ teller / Σ nevner) for ${names.peerGroup}. Høyest og lavest er gruppens medlemmer. Holder du over et tall, ser du verdien og spørringen; klikk åpner spørringen.`),
        h('thead', {}, head), h('tbody', {}, ...rows)));
    } catch (error) {
      if (isCurrent()) showError(parts, error);
    }
  }

  // 2. The eight ratio series: the municipality against the group's weighted average and the country.
  async function ratioSeries(sel: Selection, years: number[], isCurrent: () => boolean): Promise<void> {
    const parts = section('ratios');
    const range = windowOf(sel, years);
    parts.title.textContent = `Nøkkeltall i prosent av brutto driftsinntekter ${range.from}–${range.to}`;
    try {
      const subjects = [{ municipality: sel.municipality }, { peerGroup: sel.peerGroup }, { region: cfg.country }];
      const { data, source } = await run<Record<string, MetricTable>>('ratioSeries', { subjects, years: range });
      if (!isCurrent()) return;
      parts.link.replaceChildren(queryLink(source));
      const Chart = chartLib();
      const styles = [
        { color: COLORS.municipality, width: 3, dash: [] as number[] },
        { color: COLORS.group, width: 2, dash: [] as number[] },
        { color: COLORS.country, width: 2, dash: [5, 4] },
      ];
      const seriesNames = data[cfg.ratios[0].metric].series.map((s) => s.subject.name);
      const legend = h('ul', { class: 'legend' }, ...seriesNames.map((name, i) =>
        h('li', { class: `legend-${['municipality', 'group', 'country'][i]}` }, h('span', { class: 'swatch' }), name)));
      const cards: El[] = [];
      const pending: { canvas: El; table: MetricTable; decimals: number; labels: string[] }[] = [];
      for (const ratio of cfg.ratios) {
        const table = data[ratio.metric];
        const decimals = table.metric.decimals;
        const labels = table.series[0]?.points.map((p) => String(p.year)) ?? [];
        const canvas = h('canvas', { role: 'img', 'aria-label': `${ratio.label}: ${seriesNames.join(', ')}` });
        const numbers = h('table', { class: 'report-table series-table' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), ...labels.map((y) => h('th', { scope: 'col', class: 'num' }, y)))),
          h('tbody', {}, ...table.series.map((s, si) => h('tr', {},
            h('th', { scope: 'row' }, s.subject.name),
            ...s.points.map((p, pi) => h('td', { class: 'num' }, figure(p.rounded === null ? null : pct(p.rounded, decimals), {
              source, path: `${ratio.metric}.series[${si}].points[${pi}].rounded`, cell: `series:${ratio.metric}:${si}:${p.year}`,
              reason: p.reason, about: `${s.subject.name} ${p.year}`,
            })))))));
        cards.push(h('article', { class: 'chart-card', 'data-metric': ratio.metric },
          h('header', {}, h('h3', { title: table.metric.label }, ratio.label)),
          h('div', { class: 'chart-box' }, canvas),
          h('details', {}, h('summary', {}, 'Tall'), numbers)));
        pending.push({ canvas, table, decimals, labels });
      }
      parts.body.replaceChildren(legend, h('div', { class: 'chart-grid' }, ...cards));
      // Charts are drawn once their canvases are in the document, so that Chart.js can size them.
      const instances = pending.map(({ canvas, table, decimals, labels }) =>
        new Chart(canvas, {
          type: 'line',
          data: {
            labels,
            datasets: table.series.map((s, i) => ({
              label: s.subject.name,
              data: s.points.map((p) => p.value),
              borderColor: styles[i]?.color ?? COLORS.country,
              backgroundColor: styles[i]?.color ?? COLORS.country,
              borderWidth: styles[i]?.width ?? 2,
              borderDash: styles[i]?.dash ?? [],
              pointRadius: 3,
            })),
          },
          options: {
            animation: false,
            responsive: true,
            maintainAspectRatio: false,
            locale: LOCALE,
            spanGaps: false,
            interaction: { mode: 'index', intersect: false },
            plugins: {
              legend: { display: false },
              tooltip: {
                callbacks: {
                  label: (item: TooltipItem) => {
                    const p = table.series[item.datasetIndex].points[item.dataIndex];
                    return `${item.dataset.label ?? ''}: ${p.rounded === null ? DASH : pct(p.rounded, decimals)}`;
                  },
                },
              },
            },
            scales: {
              y: { ticks: { callback: (v: number | string) => `${Number(v).toLocaleString(LOCALE)}\u00a0%` } },
            },
          },
        }));
      replaceCharts('ratios', instances);
    } catch (error) {
      if (isCurrent()) {
        replaceCharts('ratios', []);
        showError(parts, error);
      }
    }
  }

  // 3. Net operating expenditure per inhabitant by service area, with bars and shares.
  async function serviceAreas(sel: Selection, years: number[], names: Names, isCurrent: () => boolean): Promise<void> {
    const parts = section('service-areas');
    const first = Math.max(Math.min(...years), sel.year - 2);
    const columns: { subject: Record<string, string>; year: number }[] = [];
    for (let year = first; year <= sel.year; year++) columns.push({ subject: { municipality: sel.municipality }, year });
    columns.push({ subject: { peerGroup: sel.peerGroup }, year: sel.year });
    parts.title.textContent = `Netto driftsutgifter per innbygger etter tjenesteområde, ${names.municipality} ${first}–${sel.year} og ${names.peerGroup} ${sel.year}`;
    try {
      const { data, source } = await run<ServiceTable>('serviceAreas', { columns, inflateTo: sel.year });
      if (!isCurrent()) return;
      parts.link.replaceChildren(queryLink(source));
      const table = data.serviceAreaTable;
      const decimals = table.metric.decimals;
      // One scale for every bar, so that bars compare across rows and columns.
      const largest = Math.max(1, ...table.rows.flatMap((r) => r.cells.map((c) => Math.abs(c.value ?? 0))));
      const subjectRow: El[] = [h('th', { scope: 'col', rowspan: '2' }, 'Tjenesteområde')];
      for (let i = 0; i < columns.length;) {
        const name = table.totals[i]?.subject.name ?? '';
        let span = 1;
        while (i + span < columns.length && table.totals[i + span]?.subject.name === name) span++;
        subjectRow.push(h('th', { scope: 'colgroup', colspan: String(span * 2), class: 'subject' }, name));
        i += span;
      }
      const yearRow = columns.map((c) => h('th', { scope: 'col', colspan: '2', class: 'num' }, String(c.year)));
      const unitRow = h('tr', { class: 'units' }, h('th', {}, ''), ...columns.flatMap(() => [h('th', { class: 'num' }, 'Kr. pr. innb.'), h('th', { class: 'num' }, 'Andel')]));
      const cellsOf = (cells: ServiceCell[], key: string, label: string, at: (i: number) => string, bars: boolean): El[] =>
        cells.flatMap((c, i) => {
          const amount = figure(c.value === null ? null : fmt(c.value, decimals), {
            source, path: `${at(i)}.value`, cell: `service:${key}:${i}:value`, reason: c.reason,
            about: `${label}, ${c.subject.name} ${c.year}: ${c.value === null ? DASH : `${fmt(c.value, decimals)} kr per innbygger`}`,
          });
          const bar = h('span', { class: c.value !== null && c.value < 0 ? 'bar negative' : 'bar' });
          // CSSOM, not a style attribute: allowed under style-src 'self'.
          bar.style.width = `${c.value === null ? 0 : (Math.abs(c.value) / largest) * 100}%`;
          return [
            h('td', { class: 'num amount' }, bars ? h('span', { class: 'bar-track' }, bar) : null, amount),
            h('td', { class: 'num share' }, figure(c.sharePct === null ? null : pct(c.sharePct, 1), {
              source, path: `${at(i)}.sharePct`, cell: `service:${key}:${i}:share`, reason: c.reason,
              about: `${label}, ${c.subject.name} ${c.year}: andel av totalen`,
            })),
          ];
        });
      const body = table.rows.map((row, ri) => h('tr', { class: row.grouping.parentId ? 'sub' : undefined, 'data-grouping': row.grouping.id },
        h('th', { scope: 'row' }, row.grouping.label),
        ...cellsOf(row.cells, row.grouping.id, row.grouping.label, (i) => `serviceAreaTable.rows[${ri}].cells[${i}]`, true)));
      const totals = h('tr', { class: 'total' }, h('th', { scope: 'row' }, 'Totalt'),
        ...cellsOf(table.totals, 'total', 'Totalt', (i) => `serviceAreaTable.totals[${i}]`, false));
      parts.body.replaceChildren(h('table', { class: 'report-table service-table' },
        h('caption', {}, `${table.metric.label}, korrigert for beregnet utgiftsbehov og i ${sel.year}-kroner (kommunal deflator); andel av summen av tjenesteområdene. Underområdene av «Andre områder» er innrykket.`),
        h('thead', {}, h('tr', {}, ...subjectRow), h('tr', {}, ...yearRow), unitRow),
        h('tbody', {}, ...body), h('tfoot', {}, totals)));
    } catch (error) {
      if (isCurrent()) showError(parts, error);
    }
  }

  // 4. Tax growth: year-on-year change of skatt and the average annual growth.
  async function taxGrowth(sel: Selection, years: number[], names: Names, isCurrent: () => boolean): Promise<void> {
    const parts = section('tax-growth');
    const range = windowOf(sel, years);
    const shareFrom = Math.max(range.from, sel.year - 3);
    parts.title.textContent = `Skatteinntekter ${names.municipality} ${range.from}–${range.to}`;
    try {
      const { data, source } = await run<TaxGrowth>('taxGrowth', {
        municipality: sel.municipality, peerGroup: sel.peerGroup, from: range.from, to: range.to, shareFrom,
      });
      if (!isCurrent()) return;
      parts.link.replaceChildren(queryLink(source));
      const series = data.skatt.series[0];
      const points = series?.points ?? [];
      const rows = points.map((p, i) => h('tr', {},
        h('th', { scope: 'row' }, String(p.year)),
        h('td', { class: 'num' }, figure(p.value === null ? null : fmt(p.value, 0), {
          source, path: `skatt.series[0].points[${i}].value`, cell: `tax:${p.year}:value`, reason: p.reason,
          about: `Skatt ${p.year} (1000 kr)`,
        })),
        h('td', { class: 'num' }, figure(p.changePct === null ? null : pct(p.changePct, 1), {
          source, path: `skatt.series[0].points[${i}].changePct`, cell: `tax:${p.year}:change`,
          // The API gives no reason for a missing change; the first year's base year is simply not asked for.
          reason: p.reason ?? (i === 0 ? `${p.year - 1} er ikke med i spørringen` : points[i - 1]?.reason ?? 'mangler verdien året før'),
          about: `Endring ${p.year - 1}–${p.year}`,
        }))));
      const growth = (v: Value | undefined, key: string, label: string): El => h('li', {}, `${label}: `,
        figure(v?.value == null ? null : pct(v.value, 1), { source, path: `skatt.series[0].${key}.value`, cell: `tax:growth:${key}`, reason: v?.reason }));
      const shares = data.share.series.map((s, i) => h('li', {}, `${s.subject.name}: `,
        figure(s.periodAverage.value === null ? null : pct(s.periodAverage.value, data.share.metric.decimals), {
          source, path: `share.series[${i}].periodAverage.value`, cell: `tax:share:${i}`, reason: s.periodAverage.reason,
        })));
      const canvas = h('canvas', { role: 'img', 'aria-label': `Årlig endring i skatteinntekter, ${names.municipality}` });
      parts.body.replaceChildren(
        h('div', { class: 'tax-layout' },
          h('table', { class: 'report-table tax-table' },
            h('caption', {}, data.skatt.metric.label),
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'År'), h('th', { scope: 'col', class: 'num' }, 'Skatt (1000 kr)'), h('th', { scope: 'col', class: 'num' }, 'Endring'))),
            h('tbody', {}, ...rows)),
          h('div', { class: 'chart-box small' }, canvas)),
        h('div', { class: 'tax-facts' },
          h('div', {}, h('p', { class: 'facts-title' }, `Årlig vekst ${range.from}–${range.to}`),
            h('ul', { class: 'facts' },
              growth(series?.geometric, 'geometric', 'Gjennomsnittlig (geometrisk)'),
              growth(series?.meanOfYearOnYear, 'meanOfYearOnYear', 'Snitt av årlige endringer'))),
          h('div', {}, h('p', { class: 'facts-title' }, `Skatt i % av brutto driftsinntekter, snitt ${shareFrom}–${range.to}`),
            h('ul', { class: 'facts' }, ...shares))));
      const Chart = chartLib();
      replaceCharts('tax-growth', [new Chart(canvas, {
        type: 'bar',
        data: {
          labels: points.map((p) => String(p.year)),
          datasets: [{
            label: 'Endring fra året før',
            data: points.map((p) => p.changePct),
            backgroundColor: points.map((p) => (p.changePct !== null && p.changePct < 0 ? COLORS.negative : COLORS.municipality)),
          }],
        },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          locale: LOCALE,
          plugins: {
            legend: { display: false },
            title: { display: true, text: 'Årlig endring i skatteinntekter' },
            tooltip: { callbacks: { label: (item: TooltipItem) => { const v = points[item.dataIndex].changePct; return v === null ? DASH : pct(v, 1); } } },
          },
          scales: {
            x: { ticks: { maxRotation: 0 } },
            y: { ticks: { callback: (v: number | string) => `${Number(v).toLocaleString(LOCALE)}\u00a0%` } },
          },
        },
      })]);
    } catch (error) {
      if (isCurrent()) {
        replaceCharts('tax-growth', []);
        showError(parts, error);
      }
    }
  }

  // 5. Production, gross expenditure and efficiency per service, as % above or below the peer group's average.
  async function efficiency(sel: Selection, years: number[], names: Names, isCurrent: () => boolean): Promise<void> {
    const parts = section('efficiency');
    const from = Math.max(Math.min(...years), sel.year - 3);
    parts.title.textContent = `Ressursbruk, produksjon og effektivitet ${sel.year}: ${names.municipality} mot snittet i ${names.peerGroup}`;
    try {
      const { data, source } = await run<Efficiency>('efficiency', { municipality: sel.municipality, peerGroup: sel.peerGroup, from, to: sel.year });
      if (!isCurrent()) return;
      parts.link.replaceChildren(queryLink(source));
      const t = data.efficiencyTable;
      const fields = [['productionIndex', 'Produksjon'], ['costIndex', 'Brutto driftsutgifter'], ['efficiency', 'Effektivitet']] as const;
      const deviation = (index: number | null) => (index === null ? null : index - 100);
      const signed = (v: number) => `${Number(v.toFixed(1)) > 0 ? '+' : ''}${pct(v, 1)}`;
      const cells = (p: EfficiencyPoint | undefined, key: string, label: string, at: string): El[] => fields.map(([field, name]) => {
        const index = p ? p[field] : null;
        const v = deviation(index);
        return h('td', { class: 'num' }, figure(v === null ? null : signed(v), {
          source, path: `${at}.${field}`, cell: `${key}:${field}`, reason: p ? p.reason : `ingen tall for ${sel.year}`,
          about: `${label}, ${name.toLocaleLowerCase(LOCALE)}: ${v === null ? DASH : signed(v)} mot snittet (indeks ${index === null ? DASH : fmt(index, 1)})`,
        }));
      });
      const yearIndex = t.combined.findIndex((p) => p.year === sel.year);
      const head = h('tr', {}, h('th', { scope: 'col' }, 'Tjeneste'), ...fields.map(([, name]) => h('th', { scope: 'col', class: 'num' }, name)));
      const rows = t.services.map((s, si) => h('tr', { 'data-grouping': s.grouping.id }, h('th', { scope: 'row' }, s.grouping.label),
        ...cells(s.points[yearIndex], `eff:${s.grouping.id}`, s.grouping.label, `efficiencyTable.services[${si}].points[${yearIndex}]`)));
      const total = h('tr', { class: 'total' }, h('th', { scope: 'row' }, 'Samlet'),
        ...cells(t.combined[yearIndex], 'eff:combined', 'Samlet', `efficiencyTable.combined[${yearIndex}]`));
      const development = t.combined.map((p, i) => h('tr', {}, h('th', { scope: 'row' }, String(p.year)),
        ...cells(p, `eff:combined:${p.year}`, `Samlet ${p.year}`, `efficiencyTable.combined[${i}]`)));
      const canvas = h('canvas', { role: 'img', 'aria-label': `Produksjon, brutto driftsutgifter og effektivitet, ${names.municipality} mot ${t.reference.name}` });
      parts.body.replaceChildren(
        h('div', { class: 'efficiency-layout' },
          h('table', { class: 'report-table efficiency-table' },
            h('caption', {}, `Prosent over (+) eller under (−) snittet i ${t.reference.name} (veid), ${sel.year}. Produksjon: tjenestevolum per innbygger; brutto driftsutgifter per innbygger; effektivitet = produksjon / utgifter. Korrigert for beregnet utgiftsbehov. Samlet: tjenestene veid med snittets utgifter.`),
            h('thead', {}, head), h('tbody', {}, ...rows), h('tfoot', {}, total)),
          h('div', { class: 'chart-box' }, canvas)),
        h('table', { class: 'report-table efficiency-development' },
          h('caption', {}, `Utvikling ${from}–${sel.year}, samlet for tjenestene`),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'År'), ...fields.map(([, name]) => h('th', { scope: 'col', class: 'num' }, name)))),
          h('tbody', {}, ...development)));
      const labels = [...t.services.map((s) => s.grouping.label), 'Samlet'];
      const points = [...t.services.map((s) => s.points[yearIndex]), t.combined[yearIndex]];
      const Chart = chartLib();
      replaceCharts('efficiency', [new Chart(canvas, {
        type: 'bar',
        data: {
          labels,
          datasets: fields.map(([field, name], i) => ({
            label: name,
            data: points.map((p) => (p ? deviation(p[field]) : null)),
            backgroundColor: [COLORS.group, COLORS.country, COLORS.municipality][i],
          })),
        },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          locale: LOCALE,
          indexAxis: 'y',
          plugins: {
            legend: { position: 'bottom' },
            tooltip: { callbacks: { label: (item: TooltipItem) => { const p = points[item.dataIndex]; const v = p ? deviation(p[fields[item.datasetIndex][0]]) : null; return `${item.dataset.label ?? ''}: ${v === null ? DASH : signed(v)}`; } } },
          },
          scales: { x: { ticks: { callback: (v: number | string) => `${Number(v).toLocaleString(LOCALE)}\u00a0%` } } },
        },
      })]);
    } catch (error) {
      if (isCurrent()) {
        replaceCharts('efficiency', []);
        showError(parts, error);
      }
    }
  }

  // ---- Choosing ----
  interface Names { municipality: string; peerGroup: string }

  function option(value: string, label: string): El {
    return h('option', { value }, label);
  }

  async function start(): Promise<void> {
    const Chart = chartLib();
    Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    Chart.defaults.font.size = 12;
    Chart.defaults.color = '#333';

    const { data } = await run<Choices>('choices', {});
    const withAccounts = new Set(data.accountsYears.edges.map((e) => e.node.year));
    // Fall back to every loaded year when the country's accounts cannot tell (then some years show dashes).
    const years = data.years.filter((y) => withAccounts.size === 0 || withAccounts.has(y));
    if (!years.length || !data.municipalities.length || !data.peerGroups.length) {
      throw new Error('the warehouse holds no municipalities, peer groups or years yet');
    }
    const municipality = byId('municipality');
    const peerGroup = byId('peer-group');
    const year = byId('year');
    municipality.replaceChildren(...data.municipalities.map((m) => option(m.key, m.name)));
    peerGroup.replaceChildren(...data.peerGroups.map((p) => option(p.id, p.name)));
    year.replaceChildren(...[...years].sort((a, b) => b - a).map((y) => option(String(y), String(y))));

    // A shared link (?municipality=&peerGroup=&year=) wins over the defaults; unknown values are ignored.
    const asked = new URLSearchParams(g.location.search);
    const pick = <T>(list: T[], matches: (item: T) => boolean): T | undefined => list.find(matches);
    const wanted = (name: string, fallback: string) => (asked.get(name) ?? fallback).toLocaleLowerCase(LOCALE);
    const m = pick(data.municipalities, (x) => x.key === asked.get('municipality'))
      ?? pick(data.municipalities, (x) => x.name.toLocaleLowerCase(LOCALE) === wanted('municipality', cfg.defaults.municipality))
      ?? pick(data.municipalities, (x) => x.name.toLocaleLowerCase(LOCALE) === cfg.defaults.municipality.toLocaleLowerCase(LOCALE))
      ?? data.municipalities[0];
    const p = pick(data.peerGroups, (x) => x.id === asked.get('peerGroup'))
      ?? pick(data.peerGroups, (x) => x.id === cfg.defaults.peerGroup)
      ?? data.peerGroups[0];
    const y = years.includes(Number(asked.get('year'))) ? Number(asked.get('year')) : Math.max(...years);
    municipality.value = m.key;
    peerGroup.value = p.id;
    year.value = String(y);

    let generation = 0;
    const refresh = async (): Promise<void> => {
      const mine = ++generation;
      const isCurrent = () => mine === generation;
      const sel: Selection = { municipality: municipality.value, peerGroup: peerGroup.value, year: Number(year.value) };
      const names: Names = {
        municipality: data.municipalities.find((x) => x.key === sel.municipality)?.name ?? sel.municipality,
        peerGroup: data.peerGroups.find((x) => x.id === sel.peerGroup)?.name ?? sel.peerGroup,
      };
      doc.body.dataset.state = 'loading';
      byId('title-municipality').textContent = `${names.municipality} ${sel.year}`;
      doc.title = `KOSTRA-analyse ${names.municipality} ${sel.year} – kostra-warehouse`;
      g.history.replaceState(null, '', `${g.location.pathname}?${new URLSearchParams({ municipality: sel.municipality, peerGroup: sel.peerGroup, year: String(sel.year) }).toString()}`);
      await Promise.all([
        statusIndex(sel, names, isCurrent),
        ratioSeries(sel, years, isCurrent),
        serviceAreas(sel, years, names, isCurrent),
        taxGrowth(sel, years, names, isCurrent),
        efficiency(sel, years, names, isCurrent),
      ]);
      if (!isCurrent()) return;
      // Lets a reader (and the browser test) know which selection the page shows, once all of it is drawn.
      doc.body.dataset.selection = `${sel.municipality}|${sel.peerGroup}|${sel.year}`;
      doc.body.dataset.state = 'ready';
    };
    for (const control of [municipality, peerGroup, year]) control.addEventListener('change', () => { void refresh(); });
    await refresh();
  }

  start().catch((error: unknown) => {
    doc.body.dataset.state = 'failed';
    const target = doc.getElementById('status');
    if (target) target.replaceChildren(h('p', { class: 'section-error', role: 'alert' }, `Rapporten kunne ikke starte: ${(error as Error).message}`));
  });
})();
