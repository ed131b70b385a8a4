import { expect } from 'chai';
import { CatalogueError, loadCatalogue, validateCatalogue, type SourceCatalogue } from '../../core/source-catalogue';
import { validateServiceAreas } from '../../core/service-areas';
import { labelMatches } from '../../core/text/labels';
import { resolveIndicators, resolveTable, tableMetadata, TableStructureError, unreadable, type TableMetadata } from '../../etl/resolve';
import type { JsonStat2Dataset } from '../../etl/pxweb/types';
import rawCatalogue from '../../core/source-catalogue/source-catalogue.json';
import rawAreas from '../../core/service-areas/service-areas.json';
import { DemoApi } from '../standin/pxweb-api';

/** Metadata of every catalogue table as the stand-in's emulator serves it (SSB's documented layout). */
function metadataOf(api: DemoApi, catalogue: SourceCatalogue): Map<string, TableMetadata> {
  return new Map(catalogue.tables.map((t): [string, TableMetadata] => {
    try { return [t.id, tableMetadata(api.metadata(t.id))]; } catch (e) { return [t.id, unreadable(t.id, e)]; }
  }));
}

/** A copy of a metadata answer with one concept code relabelled or removed. */
function edited(meta: JsonStat2Dataset, variable: string, code: string, label: string | null): JsonStat2Dataset {
  const copy = JSON.parse(JSON.stringify(meta)) as JsonStat2Dataset;
  const cat = copy.dimension[variable].category;
  const index = cat.index as Record<string, number>;
  if (label !== null) {
    if (cat.label) cat.label[code] = label;
    return copy;
  }
  const codes = Object.keys(index).filter((c) => c !== code).sort((a, b) => index[a] - index[b]);
  cat.index = Object.fromEntries(codes.map((c, i) => [c, i]));
  if (cat.label) delete cat.label[code];
  copy.size[copy.id.indexOf(variable)] = codes.length;
  return copy;
}

describe('the source catalogue resolved against SSB\'s metadata', () => {
  const { catalogue, serviceAreas } = loadCatalogue();
  const api = new DemoApi();
  const metadata = metadataOf(api, catalogue);

  it('takes each indicator from its first candidate that holds the code under the expected label (documented layout: 56 from 12364, AGD21 from 12143)', () => {
    const r = resolveIndicators(catalogue, metadata);
    expect(r.missing).to.deep.equal([]);
    const from = (key: string) => r.resolved.find((i) => i.key === key);
    expect(from('bdi')).to.include({ tableId: '12137', concept: 'AGD13', content: 'KOSbelop0000', candidate: 0, unit: '1000 kr' });
    expect(from('disposisjonsfond')).to.include({ tableId: '12364', concept: '56', candidate: 0 });
    expect(from('netto_finansutgifter')).to.include({ tableId: '12364', concept: 'AGD86' });
    expect(from('avdrag')).to.include({ tableId: '12143', concept: 'AGD21' });
    expect(from('folkemengde')).to.include({ tableId: '07459', concept: null, content: 'Personer1' });
  });

  it('falls back to the next candidate when a table does not exist at SSB, and says why the first was passed over (legacy layout: everything in 12137)', () => {
    const legacy = metadataOf(new DemoApi({ layout: 'legacy' }), catalogue);
    expect(legacy.get('12364')?.ok).to.equal(false);
    const r = resolveIndicators(catalogue, legacy);
    // 12143's shares of BDI exist nowhere else: only reconciliation needs them, so they are optional
    expect(r.missing.map((m) => [m.key, m.optional])).to.deep.equal([['avdrag_pct_bdi_ssb', true], ['netto_finansutgifter_pct_bdi_ssb', true]]);
    expect(r.resolved.find((i) => i.key === 'avdrag')).to.include({ tableId: '12137', concept: 'AGD21', candidate: 2 });
    expect(r.resolved.find((i) => i.key === 'disposisjonsfond')).to.include({ tableId: '12137', concept: '56', candidate: 1 });
    expect(r.passedOver.get('disposisjonsfond')![0].problem).to.match(/^table 12364 could not be read: .*Non-existent table/);
  });

  it('passes over a code that exists under another label (a reused or wrong code), naming both labels', () => {
    const meta = new Map(metadata);
    const m = metadata.get('12364') as TableMetadata & { ok: true };
    meta.set('12364', tableMetadata(edited(m.metadata, 'KOKartkap0000', '56', 'Premieavvik')));
    const r = resolveIndicators(catalogue, meta);
    const d = r.resolved.find((i) => i.key === 'disposisjonsfond');
    // 12137 does not hold 56 in the documented layout either, so disposisjonsfond is missing, with both candidates' reasons.
    expect(d).to.equal(undefined);
    const missing = r.missing.find((x) => x.key === 'disposisjonsfond')!;
    expect(missing.tried.map((t) => t.table)).to.deep.equal(['12364', '12137']);
    expect(missing.tried[0].problem).to.equal('table 12364: 56 is labelled "Premieavvik", not "Disposisjonsfond"');
    expect(missing.tried[1].problem).to.match(/^table 12137: KOKartkap0000 code 56 \(Disposisjonsfond\) is not in the metadata/);
  });

  it('an indicator found nowhere is reported with the closest SSB labels; the others still resolve', () => {
    const meta = new Map(metadata);
    const m = metadata.get('12137') as TableMetadata & { ok: true };
    meta.set('12137', tableMetadata(edited(m.metadata, 'KOKartkap0000', 'AG11', null)));
    meta.set('12364', tableMetadata(edited((metadata.get('12364') as TableMetadata & { ok: true }).metadata, 'KOKartkap0000', 'AG11', null)));
    const r = resolveIndicators(catalogue, meta);
    expect(r.missing.map((x) => x.key)).to.deep.equal(['frie_inntekter']);
    expect(r.missing[0].tried[0].problem).to.match(/KOKartkap0000 code AG11 \(Frie inntekter\) is not in the metadata; closest: .*"/);
    expect(r.resolved.map((x) => x.key)).to.include('bdi');
  });

  it('resolves a table to concrete codes: regions by pattern, years from 2015, service areas by pattern and grouping, labels from the metadata', () => {
    const r = resolveIndicators(catalogue, metadata);
    const t = catalogue.tables.find((x) => x.id === '12362')!;
    const resolved = resolveTable(t, catalogue, serviceAreas, metadata.get('12362') as TableMetadata & { ok: true }, r.resolved.filter((i) => i.tableId === '12362'));
    const region = resolved.variables.find((v) => v.role === 'region')!;
    expect(region.codes).to.include.members(['0219', '3024', '3201', 'EAK', 'EAKUO', 'EKG12']);
    expect(region.codes.some((c) => c.startsWith('EKA')), 'counties are left out').to.equal(false);
    expect(resolved.years[0]).to.equal(2015);
    const areas = resolved.variables.find((v) => v.role === 'serviceArea')!.codes;
    expect(areas).to.include.members(['FGK1a', 'FGK9', 'FGK17', '234', '253', '329']);
    expect(areas, 'functions no grouping uses are not loaded').to.not.include('100');
    expect(resolved.serviceAreaLabels.get('FGK7')).to.equal('Barnehage');
  });

  it('only a structural change fails a table: a mandatory variable the catalogue does not select', () => {
    const m = metadata.get('12134') as TableMetadata & { ok: true };
    const broken = { ...m.metadata, id: [...m.metadata.id, 'KOKregnskapsomfa0000'], size: [...m.metadata.size, 2],
      dimension: { ...m.metadata.dimension, KOKregnskapsomfa0000: { label: 'regnskapsomfang', category: { index: { A: 0, B: 1 }, label: { A: 'Konsern', B: 'Kasse' } }, extension: { elimination: false } } } };
    const r = resolveIndicators(catalogue, metadata);
    let error: unknown;
    try { resolveTable(catalogue.tables[0], catalogue, serviceAreas, tableMetadata(broken), r.resolved.filter((i) => i.tableId === '12134')); } catch (e) { error = e; }
    expect(error).to.be.instanceOf(TableStructureError);
    expect((error as TableStructureError).problems).to.deep.equal([
      'variable KOKregnskapsomfa0000 (regnskapsomfang) is mandatory at SSB but the catalogue selects nothing for it: add "fixed": { "KOKregnskapsomfa0000": "<code>" } (codes: A, B)',
    ]);
    expect((error as Error).message).to.contain('the other tables load');
  });

  it('matches SSB labels through case, a leading code, a bracketed note and a spelling slip, but not another concept', () => {
    expect(labelMatches('Netto driftsresultat i prosent av brutto driftsinntekter', 'Netto driftresultat i prosent av brutto driftsinntekter')).to.equal(true);
    expect(labelMatches('Brutto driftsinntekter', 'AGD13 Brutto driftsinntekter', 'AGD13')).to.equal(true);
    expect(labelMatches('Disposisjonsfond', 'DISPOSISJONSFOND (B)')).to.equal(true);
    expect(labelMatches('Frie inntekter', 'Frie inntekter i kroner per innbygger')).to.equal(false);
    expect(labelMatches('Netto driftsutgifter', 'Brutto driftsutgifter')).to.equal(false);
  });

  it('the catalogue files are validated by a schema, unknown keys rejected, and then against themselves, every problem with its path', () => {
    const broken = JSON.parse(JSON.stringify(rawCatalogue)) as { years: { from: unknown }; tables: Record<string, unknown>[] };
    broken.years.from = 'soon';
    broken.tables[0].regionVariabel = 'x';
    let error: CatalogueError | undefined;
    try { validateCatalogue(broken); } catch (e) { error = e as CatalogueError; }
    expect(error?.problems).to.have.length(2);
    expect(error?.problems[0]).to.match(/^years\.from: .*number/i);
    expect(error?.problems[1]).to.match(/^tables\[0\]: .*regionVariabel/);

    const crossed = JSON.parse(JSON.stringify(rawCatalogue)) as { indicators: { key: string; sources: { table: string; concept?: string }[] }[] };
    crossed.indicators[1].key = crossed.indicators[0].key;
    crossed.indicators[7].sources[0].table = '99999';
    try { validateCatalogue(crossed); } catch (e) { error = e as CatalogueError; }
    expect(error?.problems).to.deep.equal([
      `indicators[1] (${crossed.indicators[0].key}).key: "${crossed.indicators[0].key}" is declared twice (first at indicators[0])`,
      `indicators[7] (${crossed.indicators[7].key}).sources[0].table: table 99999 is not declared in tables (declared: 12134, 12137, 12364, 12143, 12362, 07459, 11977, 12562, 11996, 12219, 12275, 12292)`,
    ]);

    const areas = JSON.parse(JSON.stringify(rawAreas)) as { groupings: { serviceAreas: string[] }[] };
    areas.groupings[1].serviceAreas.push('FGK8b');
    try { validateServiceAreas(areas); } catch (e) { error = e as CatalogueError; }
    expect(error?.problems).to.deep.equal(['groupings[1] (pleie_omsorg).serviceAreas: "FGK8b" already belongs to grouping "grunnskole" (groupings must be disjoint)']);
  });
});
