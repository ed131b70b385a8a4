import fs from 'node:fs';
import zlib from 'node:zlib';
import { expect } from 'chai';
import { loadCatalogue } from '../../core/source-catalogue';
import { createDemoSource, demoBundlePath, readDemoBundle } from '../../etl/demo';
import { sliceDataset } from '../../etl/demo/slice';
import { resolveCatalogue } from '../../etl/pipeline';
import { buildDemoBundle } from '../../tools/demo-data/bundle';
import { createEmulatorSource } from '../standin/pxweb-api';

describe('the bundled demo data (etl/demo/demo-data.json.gz)', function () {
  this.timeout(60_000);

  it('is what `npm run demo-data` writes from the generator today (regenerate it after changing the generator, the catalogue or the curated files)', () => {
    const committed: unknown = JSON.parse(zlib.gunzipSync(fs.readFileSync(demoBundlePath())).toString('utf8'));
    const fresh: unknown = JSON.parse(JSON.stringify(buildDemoBundle()));
    expect(committed).to.deep.equal(fresh);
  });

  it("answers a catalogue selection split in two exactly as the stand-in's emulator answers it", async () => {
    const bundle = createDemoSource();
    const emulator = createEmulatorSource();
    const { catalogue, serviceAreas } = loadCatalogue();
    const check = await resolveCatalogue(bundle, { catalogue, serviceAreas, maxCells: 800_000 });
    expect(check.resolution.missing).to.deep.equal([]);
    for (const t of check.tables.values()) {
      if (t.kind !== 'prepared') continue;
      const { table, resolved } = t;
      const region = resolved.variables.find((v) => v.role === 'region')!;
      const halves = [region.codes.slice(0, 37), region.codes.slice(37)];
      for (const codes of halves) {
        const selection = resolved.variables.map((v) => ({ variableCode: v.variableCode, valueCodes: v === region ? codes : v.codes }));
        const mine = await bundle.data(table.id, { selection });
        const theirs = await emulator.data(table.id, { selection });
        expect(mine.value, table.id).to.deep.equal(theirs.value);
        expect(mine.status ?? {}, table.id).to.deep.equal(theirs.status ?? {});
        expect(mine.size, table.id).to.deep.equal(theirs.size);
        for (const id of mine.id) expect(mine.dimension[id].category.index, `${table.id} ${id}`).to.deep.equal(theirs.dimension[id].category.index);
      }
    }
  });

  it('is labelled as synthetic in its source line and table labels, never as SSB figures', () => {
    const bundle = readDemoBundle();
    expect(bundle.notice).to.match(/not Statistics Norway figures/);
    for (const t of bundle.tables) {
      expect(t.info.label).to.match(/syntetiske demodata/);
      expect(t.data.source).to.match(/ikke SSB-tall/);
    }
  });

  describe('slicing a stored answer', () => {
    const stored = readDemoBundle().tables.find((t) => t.info.id === '12134')!.data;

    it('keeps the stored order of codes whatever the order asked, and carries statuses to their new positions', () => {
      const asked = stored.id.map((id) => {
        const codes = Object.keys(stored.dimension[id].category.index);
        return { variableCode: id, valueCodes: id === 'Tid' ? ['2024', '2015'] : codes.slice(0, 3).reverse() };
      });
      const answer = sliceDataset(stored, asked);
      expect(Object.keys(answer.dimension.Tid.category.index)).to.deep.equal(['2015', '2024']);
      expect(answer.value).to.have.length(answer.size.reduce((a, b) => a * b, 1));
      const whole = sliceDataset(stored, stored.id.map((id) => ({ variableCode: id, valueCodes: Object.keys(stored.dimension[id].category.index) })));
      expect(whole.value).to.deep.equal(stored.value);
      expect(whole.status ?? {}).to.deep.equal(stored.status ?? {});
    });

    it('refuses a variable or code the data does not hold, naming it', () => {
      const all = stored.id.map((id) => ({ variableCode: id, valueCodes: Object.keys(stored.dimension[id].category.index) }));
      expect(() => sliceDataset(stored, [...all, { variableCode: 'Kjonn', valueCodes: ['1'] }])).to.throw('the demo data has no variable Kjonn');
      expect(() => sliceDataset(stored, all.map((s) => (s.variableCode === 'Tid' ? { ...s, valueCodes: ['1999'] } : s)))).to.throw('the demo data has no Tid code "1999"');
      expect(() => sliceDataset(stored, all.filter((s) => s.variableCode !== 'Tid'))).to.throw('the request selects nothing for Tid');
    });
  });
});
