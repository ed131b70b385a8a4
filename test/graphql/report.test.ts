import { expect } from 'chai';
import { example, reportCsv, round, startHarness, type Harness } from './harness';

const SERIES_NAMES: Record<string, string> = { 'Bærum': 'Bærum', Asker: 'Asker', 'ASSS u/Oslo': 'ASSS u/Oslo', Landet: 'Landet' };
const METRIC_OF_CSV: Record<string, string> = {
  netto_driftsresultat_pct_bdi: 'resultatgrad', frie_inntekter_pct_bdi: 'frie_inntekter_pct_bdi', skatteinntekter_pct_bdi: 'skatteinntekter_pct_bdi',
  netto_finansutgifter_pct_bdi: 'netto_finansutgifter_pct_bdi', netto_avdrag_pct_bdi: 'netto_avdrag_pct_bdi',
  brutto_investeringsutgifter_pct_bdi: 'brutto_investeringsutgifter_pct_bdi', netto_lanegjeld_pct_bdi: 'netto_lanegjeld_pct_bdi',
  disposisjonsfond_pct_bdi: 'disposisjonsfond_pct_bdi',
};

describe('the report\'s tables as example operations (demo data)', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h?.close(); });

  it('02: the eight ratio series 2020–2024 match the report at its published precision', async () => {
    const res = await h.gql(example('02-ratio-series-2020-2024'));
    expect(res.body.errors).to.equal(undefined);
    const rows = reportCsv('report-ratio-series.csv');
    expect(rows.length).to.equal(160);
    for (const row of rows) {
      const table = res.body.data![METRIC_OF_CSV[row.metric]];
      const subjectName = row.series === 'Landet' ? 'Landet' : row.series;
      const series = table.series.find((s: any) => s.subject.name === subjectName || (row.series === 'Landet' && s.subject.name.startsWith('Landet')));
      expect(series, `${row.series} in ${row.metric}`).to.not.equal(undefined);
      const point = series.points.find((p: any) => p.year === Number(row.year));
      expect(round(point.value, Number(row.decimals_as_published)), `${row.metric} ${row.series} ${row.year}`).to.equal(Number(row.value_pct));
    }
    void SERIES_NAMES;
  });

  it('01: the 2024 index table matches the report (ASSS u/Oslo = 100; highest, lowest, Bærum, Asker)', async () => {
    const res = await h.gql(example('01-status-index-2024'));
    expect(res.body.errors).to.equal(undefined);
    for (const row of reportCsv('report-index-2024.csv')) {
      const c = res.body.data![row.metric];
      expect(c, row.metric).to.not.equal(undefined);
      expect(Math.round(c.highest.index), `${row.metric} highest`).to.equal(Number(row.highest));
      expect(Math.round(c.lowest.index), `${row.metric} lowest`).to.equal(Number(row.lowest));
      const baerum = c.highlighted.find((m: any) => m.municipality.name === 'Bærum');
      const asker = c.highlighted.find((m: any) => m.municipality.name === 'Asker');
      if (row.metric === 'avdragsutgifter') {
        // The report's own series make its avdrag indices impossible: Bærum and Asker 3.6 % against an ASSS average of
        // 4.1 % allow 87–90, yet it prints 91 and 103. The warehouse follows the series; the indices follow from them.
        for (const m of [baerum, asker]) expect(Math.round(m.index), `${row.metric} ${m.municipality.name}`).to.be.within(87, 90);
        continue;
      }
      expect(Math.round(baerum.index), `${row.metric} Bærum`).to.equal(Number(row.baerum));
      expect(Math.round(asker.index), `${row.metric} Asker`).to.equal(Number(row.asker));
    }
  });

  it('03: the service-area table (need-corrected, in 2024 kroner, with shares) matches the report', async () => {
    const res = await h.gql(example('03-service-area-table'));
    expect(res.body.errors).to.equal(undefined);
    const table = res.body.data!.serviceAreaTable;
    const columns = [['Bærum', 2022], ['Bærum', 2023], ['Bærum', 2024], ['Asker', 2024], ['ASSS u/Oslo', 2024]] as const;
    const labelOf = (label: string) => label.replace(/^Andre områder: /, '');
    let checked = 0;
    for (const row of reportCsv('report-service-areas.csv')) {
      const col = columns.findIndex(([name, year]) => name === row.series && year === Number(row.year));
      expect(col, `${row.series} ${row.year}`).to.be.greaterThan(-1);
      const cell = row.service_area === 'Totalt'
        ? table.totals[col]
        : table.rows.find((r: any) => r.grouping.label === labelOf(row.service_area))?.cells[col];
      expect(cell, `${row.service_area} ${row.series} ${row.year}`).to.not.equal(undefined);
      expect(Math.round(cell.value), `${row.service_area} ${row.series} ${row.year}`).to.equal(Number(row.nok_per_inhabitant_need_corrected_2024_value));
      if (row.share_pct && row.service_area !== 'Totalt') expect(round(cell.sharePct, 1), `${row.service_area} share ${row.series} ${row.year}`).to.equal(Number(row.share_pct));
      checked++;
    }
    expect(checked).to.be.greaterThan(70);
  });

  it('04: resultatgrad statements — Bærum third highest in ASSS 2024; Landet and ASSS fell 3.5 and 5.1 points since 2021; fondsgrad −6 and −3 points', async () => {
    const res = await h.gql(example('04-resultatgrad-statements'));
    expect(res.body.errors).to.equal(undefined);
    const d = res.body.data!;
    expect(d.rank.highlighted[0].rank).to.equal(3);
    expect(round(d.rank.highlighted[0].differenceFromAverage, 1)).to.equal(2.2);
    const fall = Object.fromEntries(d.fall.series.map((s: any) => [s.subject.name, s.changeBetween.value]));
    expect(round(fall['ASSS u/Oslo'], 1)).to.equal(-5.1);
    const landet = Object.entries(fall).find(([name]) => name.startsWith('Landet'))![1] as number;
    expect(round(landet, 1)).to.equal(-3.5);
    expect(Math.round(d.fondsgrad.series[0].sinceStart.value)).to.equal(-6);
    expect(Math.round(d.fondsgrad.series[0].lastYear.value)).to.equal(-3);
  });

  it('05: Bærum\'s tax grew 19.4 % in 2021 and fell 7.5 % in 2023', async () => {
    const res = await h.gql(example('05-tax-growth'));
    expect(res.body.errors).to.equal(undefined);
    const points = res.body.data!.skatt.series[0].points;
    expect(round(points.find((p: any) => p.year === 2021).changePct, 1)).to.equal(19.4);
    expect(round(points.find((p: any) => p.year === 2023).changePct, 1)).to.equal(-7.5);
    expect(points.find((p: any) => p.year === 2020).changePct).to.equal(null);
  });

  it('every example operation runs without errors', async () => {
    for (const name of ['06-warehouse-status', '07-facts', '08-municipality-codes']) {
      const res = await h.gql(example(name));
      expect(res.body.errors, name).to.equal(undefined);
    }
  });
});
