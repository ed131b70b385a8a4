/**
 * The service-volume tables of the efficiency analysis (11977, 12562, 11996, 12219, 12275, 12292) as the stand-in
 * serves them: listed, with metadata the catalogue resolves each volume indicator against (its certainty carried
 * through), mandatory variables the catalogue must fix, and counts that add up like SSB's.
 */
import { expect } from 'chai';
import { loadCatalogue } from '../../core/source-catalogue';
import { resolveIndicators, resolveTable, tableMetadata, TableStructureError } from '../../etl/resolve';
import { ASSS_U_OSLO_KEYS } from '../../tools/demo-data/regions';
import { DemoApi } from './pxweb-api';
import { decode } from './cells';

const VOLUME_TABLES = ['11977', '12562', '11996', '12219', '12275', '12292'];
const VOLUME_KEYS = ['elever_grunnskole_vektet', 'barn_barnehage_korrigert', 'legeaarsverk', 'sosialhjelpsmottakere', 'barn_barnevernstiltak', 'beboere_sykehjem', 'mottakere_hjemmetjenester'];

describe('demo data: the service-volume tables', function () {
  this.timeout(20000);
  const api = new DemoApi();
  const { catalogue, serviceAreas } = loadCatalogue();
  const metadata = new Map(VOLUME_TABLES.map((id) => [id, tableMetadata(api.metadata(id))]));

  it('are listed by /tables and described by /metadata', () => {
    const listed = api.listTables({ pageSize: 50 }).tables.map((t) => t.id);
    for (const id of VOLUME_TABLES) expect(listed, id).to.include(id);
    expect(api.metadata('12292').dimension.ContentsCode.category.index).to.have.keys('KOSbeboersykehje0000', 'KOSkjernetotalt0000');
  });

  it('resolve every volume indicator of the catalogue from its declared table, with the declared certainty', () => {
    const resolution = resolveIndicators(catalogue, metadata);
    const byKey = new Map(resolution.resolved.map((r) => [r.key, r]));
    for (const key of VOLUME_KEYS) {
      const declared = catalogue.indicators.find((i) => i.key === key)!.sources[0];
      const r = byKey.get(key);
      expect(r, key).to.not.equal(undefined);
      expect([r!.tableId, r!.content, r!.certainty], key).to.deep.equal([declared.table, declared.content, declared.certainty]);
    }
    expect(byKey.get('legeaarsverk')!.unit).to.equal('årsverk');
    expect(byKey.get('legeaarsverk')!.decimals).to.equal(1);
    expect(byKey.get('beboere_sykehjem')!.unit).to.equal('personer');
  });

  it('11996 and 12275 have variables SSB will not leave out: the catalogue fixes them, and without that the table is refused with the codes to choose', () => {
    const resolution = resolveIndicators(catalogue, metadata);
    for (const id of ['11996', '12275']) {
      const declaration = catalogue.tables.find((t) => t.id === id)!;
      const meta = metadata.get(id)!;
      const indicators = resolution.resolved.filter((r) => r.tableId === id);
      const fixed = resolveTable(declaration, catalogue, serviceAreas, meta, indicators).variables.filter((v) => v.role === 'fixed');
      expect(Object.fromEntries(fixed.map((v) => [v.variableCode, v.codes]))).to.deep.equal(Object.fromEntries(Object.entries(declaration.fixed!).map(([k, v]) => [k, [v]])));
      const unfixed = { ...declaration, fixed: undefined };
      expect(() => resolveTable(unfixed, catalogue, serviceAreas, meta, indicators)).to.throw(TableStructureError, /is mandatory at SSB but the catalogue selects nothing for it: add "fixed"/);
    }
  });

  it('counts add up like SSB\'s: KOSTRA group 12 is the sum of its members; doctor FTEs have one decimal', () => {
    const d = decode(api.data('12292', { selection: [
      { variableCode: 'KOKkommuneregion0000', valueCodes: ['EKG12', ...ASSS_U_OSLO_KEYS] },
      { variableCode: 'ContentsCode', valueCodes: ['*'] },
      { variableCode: 'Tid', valueCodes: ['2024'] },
    ] }));
    for (const content of ['KOSbeboersykehje0000', 'KOSkjernetotalt0000']) {
      const sum = ASSS_U_OSLO_KEYS.reduce((s, k) => s + (d.get({ KOKkommuneregion0000: k, ContentsCode: content, Tid: '2024' }).value as number), 0);
      expect(d.get({ KOKkommuneregion0000: 'EKG12', ContentsCode: content, Tid: '2024' }).value, content).to.equal(sum);
    }
    const fte = decode(api.data('11996', { selection: [
      { variableCode: 'KOKkommuneregion0000', valueCodes: ASSS_U_OSLO_KEYS }, { variableCode: 'KOKavtaleform0000', valueCodes: ['sum'] },
      { variableCode: 'KOKfunksjon0000', valueCodes: ['FGK10'] }, { variableCode: 'ContentsCode', valueCodes: ['*'] }, { variableCode: 'Tid', valueCodes: ['2024'] },
    ] }));
    const values = fte.cells().map((c) => c.cell.value as number);
    expect(values).to.have.length(ASSS_U_OSLO_KEYS.length);
    for (const v of values) expect(Math.round(v * 10) / 10).to.equal(v);
    expect(values.some((v) => !Number.isInteger(v))).to.equal(true);
  });
});
