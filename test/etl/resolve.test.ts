import { expect } from 'chai';
import { loadCatalogue, validateCatalogue, CatalogueError, type TableDeclaration } from '../../core/source-catalogue';
import { MetadataMismatchError, resolveTable } from '../../etl/resolve';
import { createDemoSource } from '../../etl/demo';
import rawCatalogue from '../../core/source-catalogue/source-catalogue.json';
import rawAreas from '../../core/service-areas/service-areas.json';

describe('catalogue checked against the table metadata', () => {
  const { catalogue } = loadCatalogue();
  const demo = createDemoSource();
  const table = (id: string) => catalogue.tables.find((t) => t.id === id)!;

  it('resolves the shipped catalogue to concrete codes: regions by pattern, years from 2015, the declared concepts', async () => {
    const resolved = resolveTable(table('12137'), catalogue, await demo.metadata('12137'));
    const region = resolved.variables.find((v) => v.role === 'region')!;
    expect(region.codes).to.include.members(['0219', '3024', '3201', 'EAK', 'EAKUO', 'EKG12']);
    expect(region.codes.some((c) => c.startsWith('EKA')), 'counties are left out').to.equal(false);
    expect(resolved.years[0]).to.equal(2015);
    expect(resolved.variables.find((v) => v.role === 'concept')!.codes).to.include.members(['AGD13', 'AGD23', '56']);
    expect(resolved.indicators.find((i) => i.key === 'bdi')!.unit).to.equal('1000 kr');
  });

  it('a wrong concept code fails before any data request, naming the code and the closest SSB labels', async () => {
    const wrong: TableDeclaration = { ...table('12137'), indicators: [{ key: 'frie_inntekter', concept: 'AG1', content: 'KOSbelop0000', label: 'Frie inntekter' }] };
    let error: unknown;
    try { resolveTable(wrong, catalogue, await demo.metadata('12137')); } catch (e) { error = e; }
    expect(error).to.be.instanceOf(MetadataMismatchError);
    const message = (error as Error).message;
    expect(message).to.contain('table 12137: the catalogue does not match SSB\'s metadata (1 problem)');
    expect(message).to.match(/KOKartkap0000: code AG1 \(Frie inntekter\) is not in the metadata; closest: AG11 "Frie inntekter[^"]*"/);
    expect(message).to.contain('No data was requested.');
  });

  it('every problem is reported at once, including a mandatory variable the catalogue does not select', async () => {
    const metadata = await demo.metadata('12134');
    const broken = { ...metadata, id: [...metadata.id, 'KOKregnskapsomfa0000'], size: [...metadata.size, 2],
      dimension: { ...metadata.dimension, KOKregnskapsomfa0000: { label: 'regnskapsomfang', category: { index: { A: 0, B: 1 }, label: { A: 'Konsern', B: 'Kasse' } }, extension: { elimination: false } } } };
    const wrong: TableDeclaration = { ...table('12134'), indicators: [{ key: 'resultatgrad', content: 'KOSAGD23000', label: 'Netto driftsresultat i prosent av brutto driftsinntekter' }] };
    let error: MetadataMismatchError | undefined;
    try { resolveTable(wrong, catalogue, broken); } catch (e) { error = e as MetadataMismatchError; }
    expect(error!.problems).to.have.length(2);
    expect(error!.problems[0]).to.match(/^ContentsCode: code KOSAGD23000 \(Netto driftsresultat i prosent av brutto driftsinntekter\) is not in the metadata; closest: KOSAGD230000/);
    expect(error!.problems[1]).to.equal('variable KOKregnskapsomfa0000 (regnskapsomfang) is mandatory at SSB but the catalogue selects nothing for it: add "fixed": { "KOKregnskapsomfa0000": "<code>" } (codes: A, B)');
  });

  it('the catalogue files themselves are validated with every problem and its path', () => {
    const broken = JSON.parse(JSON.stringify(rawCatalogue));
    broken.tables[0].indicators[1].key = 'resultatgrad';
    broken.tables[2].serviceAreas.push('FGK99');
    broken.years.from = 'soon';
    let error: CatalogueError | undefined;
    try { validateCatalogue(broken, rawAreas); } catch (e) { error = e as CatalogueError; }
    expect(error!.problems).to.deep.equal([
      'years.from: must be a year, but got: "soon"',
      'tables[0] (12134) -> indicators[1] (resultatgrad).key: "resultatgrad" is used twice (keys are global)',
      'tables[2] (12362).serviceAreas: "FGK99" is not declared in service-areas.json',
    ]);
  });
});
