import { expect } from 'chai';
import { JsonStatError, decodeJsonStat2, decodeJsonStat2Metadata } from '../../etl/pxweb/jsonstat-decode';
import type { JsonStat2Dataset } from '../../etl/pxweb/types';
import { readFixture } from '../helpers/fixtures';

const oslo = () => readFixture<JsonStat2Dataset>('pxwebapi-v2/12362_oslo_2024_data.json');
const tab6471 = () => readFixture<JsonStat2Dataset>('pxwebapi-v2/TAB6471_data.json');

/** A small hand-made 2 × 3 dataset; `patch` edits a deep copy. */
function tiny(patch: (ds: any) => void = () => {}): any {
  const ds: any = {
    version: '2.0',
    class: 'dataset',
    label: 'tiny',
    id: ['Region', 'Tid'],
    size: [2, 3],
    dimension: {
      Region: { label: 'region', category: { index: { '0301': 0, '3201': 1 }, label: { '0301': 'Oslo', '3201': 'Bærum' } } },
      Tid: { label: 'år', category: { index: { '2022': 0, '2023': 1, '2024': 2 } } },
    },
    value: [1, 2, 3, 4, null, 6],
  };
  patch(ds);
  return ds;
}

function decodeError(ds: unknown, metadata = false): string {
  try {
    if (metadata) decodeJsonStat2Metadata(ds);
    else decodeJsonStat2(ds);
  } catch (err) {
    expect(err).to.be.instanceOf(JsonStatError);
    return (err as Error).message;
  }
  throw new Error('expected a JsonStatError');
}

describe('jsonstat-decode', () => {
  describe('decoding recorded SSB and SCB answers', () => {
    it('decodes the SSB 12362 Oslo 2024 answer with dimensions in id order and codes in index order', () => {
      const cube = decodeJsonStat2(oslo());
      expect(cube.dims.map((d) => d.code)).to.deep.equal(['KOKkommuneregion0000', 'KOKfunksjon0000', 'KOKart0000', 'ContentsCode', 'Tid']);
      expect(cube.size).to.deep.equal([1, 8, 1, 1, 1]);
      expect(cube.cellCount).to.equal(8);
      expect(cube.dims[1].codes).to.deep.equal(['FGK12', 'FGK13', 'FGK14', 'FGK1b', 'FGK2', 'FGK7', 'FGK8b', 'FGK9']);
      expect(cube.dims[1].labels[1]).to.equal('Barnevern');
      expect(cube.dims[0].labels).to.deep.equal(['Oslo - Oslove']);
      expect(cube.updated).to.equal('2026-06-15T06:00:00Z');
    });

    it('finds Oslo FGK13 AGD10 KOSandel3501 2024 = 2.3', () => {
      const cube = decodeJsonStat2(oslo());
      const flat = cube.cellIndex({ KOKkommuneregion0000: '0301', KOKfunksjon0000: 'FGK13', KOKart0000: 'AGD10', ContentsCode: 'KOSandel3501', Tid: '2024' });
      expect(flat).to.equal(1);
      expect(cube.value(flat)).to.equal(2.3);
      expect(cube.status(flat)).to.equal(null);
    });

    it('reads the content unit per code', () => {
      const cube = decodeJsonStat2(oslo());
      expect(cube.dims[3].units).to.deep.equal([{ base: 'prosent', decimals: 1 }]);
      expect(cube.dims[0].units).to.equal(undefined);
    });

    it('visits the 8 Oslo cells in row-major order with the function position moving', () => {
      const seen: [number[], number | null][] = [];
      decodeJsonStat2(oslo()).forEachCell((pos, value) => seen.push([Array.from(pos), value]));
      expect(seen).to.deep.equal([
        [[0, 0, 0, 0, 0], 7.5],
        [[0, 1, 0, 0, 0], 2.3],
        [[0, 2, 0, 0, 0], 3.7],
        [[0, 3, 0, 0, 0], 3.8],
        [[0, 4, 0, 0, 0], 4.6],
        [[0, 5, 0, 0, 0], 11.4],
        [[0, 6, 0, 0, 0], 16],
        [[0, 7, 0, 0, 0], 24.8],
      ]);
    });

    it('decodes the SCB TAB6471 21×11×3×1×4 answer with the last dimension fastest', () => {
      const cube = decodeJsonStat2(tab6471());
      expect(cube.cellCount).to.equal(2772);
      // first four values are Region 01, Alder 0-9, Kon TotSa, months 2026M01..M04
      expect(cube.value(cube.cellIndex({ Region: '01', Alder: '0-9', Kon: 'TotSa', ContentsCode: '000007SF', Tid: '2026M01' }))).to.equal(245284);
      expect(cube.value(cube.cellIndex({ Region: '01', Alder: '0-9', Kon: 'TotSa', ContentsCode: '000007SF', Tid: '2026M04' }))).to.equal(251635);
      expect(cube.value(cube.cellIndex({ Region: '01', Alder: '0-9', Kon: '1', ContentsCode: '000007SF', Tid: '2026M01' }))).to.equal(125373);
      expect(cube.value(cube.cellIndex({ Region: '01', Alder: '10-19', Kon: 'TotSa', ContentsCode: '000007SF', Tid: '2026M01' }))).to.equal(297856);
    });

    it('visits every TAB6471 cell once, passing the raw value at its flat index', () => {
      const ds = tab6471();
      const cube = decodeJsonStat2(ds);
      let n = 0;
      let lastPos: number[] = [];
      cube.forEachCell((pos, value) => {
        expect(value).to.equal(ds.value[n]);
        n++;
        lastPos = Array.from(pos);
      });
      expect(n).to.equal(2772);
      expect(lastPos).to.deep.equal([20, 10, 2, 0, 3]);
    });

    it('reuses one position array for every cell', () => {
      const arrays = new Set<Int32Array>();
      decodeJsonStat2(tab6471()).forEachCell((pos) => arrays.add(pos));
      expect(arrays.size).to.equal(1);
    });

    it('decodes the SCB metadata answer (value: []) with decodeJsonStat2Metadata', () => {
      const cube = decodeJsonStat2Metadata(readFixture('pxwebapi-v2/TAB6471_metadata.json'));
      expect(cube.size).to.deep.equal([312, 134, 3, 1, 16]);
      expect(cube.hasValues).to.equal(false);
      expect(cube.dims[0].codes.slice(0, 3)).to.deep.equal(['00', '01', '0114']);
      expect(cube.dims[0].labels[0]).to.equal('Riket');
      let visited = 0;
      cube.forEachCell(() => visited++);
      expect(visited).to.equal(0);
      expect(cube.value(0)).to.equal(null);
    });

    it('decodes the reference server metadata answer', () => {
      const cube = decodeJsonStat2Metadata(readFixture('pxwebapi-v2/MetadataById_tab004_js2.json'));
      expect(cube.dims.map((d) => [d.code, d.codes.length])).to.deep.equal([
        ['SECTOR', 14],
        ['GREENHOUSEGAS', 11],
        ['ContentsCode', 1],
        ['TIME', 28],
      ]);
      expect(cube.dims[2].units).to.deep.equal([{ base: 'Device varies with the subject', decimals: 0 }]);
    });
  });

  describe('category index forms', () => {
    it('orders codes by index position, not by object key order', () => {
      const cube = decodeJsonStat2(tiny((ds) => (ds.dimension.Tid.category.index = { '2024': 2, '2022': 0, '2023': 1 })));
      expect(cube.dims[1].codes).to.deep.equal(['2022', '2023', '2024']);
      expect(cube.value(cube.cellIndex({ Region: '3201', Tid: '2024' }))).to.equal(6);
    });

    it('accepts category.index as an array of codes', () => {
      const cube = decodeJsonStat2(tiny((ds) => (ds.dimension.Tid.category.index = ['2022', '2023', '2024'])));
      expect(cube.dims[1].codes).to.deep.equal(['2022', '2023', '2024']);
      expect(cube.value(cube.cellIndex({ Region: '0301', Tid: '2023' }))).to.equal(2);
    });

    it('accepts a single-category dimension without index, taking the code from label', () => {
      const cube = decodeJsonStat2(
        tiny((ds) => {
          ds.id.push('ContentsCode');
          ds.size.push(1);
          ds.dimension.ContentsCode = { label: 'statistikkvariabel', category: { label: { KOSAG110000: 'Frie inntekter' } } };
        }),
      );
      expect(cube.dims[2].codes).to.deep.equal(['KOSAG110000']);
      expect(cube.dims[2].labels).to.deep.equal(['Frie inntekter']);
    });

    it('uses the code as label when a category has no label', () => {
      expect(decodeJsonStat2(tiny()).dims[1].labels).to.deep.equal(['2022', '2023', '2024']);
    });
  });

  describe('status', () => {
    it('reads status as an object keyed by flat index', () => {
      const cube = decodeJsonStat2(tiny((ds) => (ds.status = { '4': '..', '1': ':' })));
      expect([0, 1, 2, 3, 4, 5].map((i) => cube.status(i))).to.deep.equal([null, ':', null, null, '..', null]);
    });

    it('reads status as an array aligned with value', () => {
      const cube = decodeJsonStat2(tiny((ds) => (ds.status = [null, null, '.', null, '..', null])));
      expect([0, 1, 2, 3, 4, 5].map((i) => cube.status(i))).to.deep.equal([null, null, '.', null, '..', null]);
    });

    it('applies a single status string or one-element array to every cell', () => {
      expect(decodeJsonStat2(tiny((ds) => (ds.status = '..'))).status(5)).to.equal('..');
      expect(decodeJsonStat2(tiny((ds) => (ds.status = [':']))).status(3)).to.equal(':');
    });

    it('passes value and status together to forEachCell, keeping null + symbol apart from 0', () => {
      const cells: [number | null, string | null][] = [];
      decodeJsonStat2(tiny((ds) => (ds.status = { '4': '..', '5': 'p' }))).forEachCell((_p, v, s) => cells.push([v, s]));
      expect(cells).to.deep.equal([
        [1, null],
        [2, null],
        [3, null],
        [4, null],
        [null, '..'],
        [6, 'p'],
      ]);
    });
  });

  describe('validation errors', () => {
    it('rejects a non-object', () => {
      expect(decodeError('x')).to.equal('JSON-stat: the dataset must be an object, but got: "x"');
    });

    it('rejects a wrong version', () => {
      expect(decodeError(tiny((ds) => (ds.version = '1.0')))).to.equal('JSON-stat: version must be "2.0", but got: "1.0"');
    });

    it('rejects a wrong class', () => {
      expect(decodeError(tiny((ds) => (ds.class = 'collection')))).to.equal('JSON-stat: class must be "dataset", but got: "collection"');
    });

    it('rejects a missing id', () => {
      expect(decodeError(tiny((ds) => delete ds.id))).to.equal('JSON-stat: id must be an array of dimension codes');
    });

    it('rejects a negative size', () => {
      expect(decodeError(tiny((ds) => (ds.size = [2, -3])))).to.equal('JSON-stat: size must be an array of non-negative integers');
    });

    it('rejects id and size of different lengths', () => {
      expect(decodeError(tiny((ds) => ds.size.push(1)))).to.equal('JSON-stat: id has 2 dimensions but size has 3');
    });

    it('rejects a dimension listed twice in id', () => {
      expect(decodeError(tiny((ds) => ((ds.id = ['Tid', 'Tid']), (ds.size = [3, 3]))))).to.equal('JSON-stat: id lists a dimension twice: ["Tid","Tid"]');
    });

    it('rejects a dimension missing from dimension', () => {
      expect(decodeError(tiny((ds) => delete ds.dimension.Tid))).to.equal('JSON-stat: dimension "Tid" is listed in id but missing from dimension');
    });

    it('rejects a dimension without category', () => {
      expect(decodeError(tiny((ds) => delete ds.dimension.Tid.category))).to.equal('JSON-stat: dimension "Tid" has no category');
    });

    it('rejects a category count different from size', () => {
      expect(decodeError(tiny((ds) => (ds.size = [2, 4])))).to.equal('JSON-stat: dimension "Tid" has 3 categories but size says 4');
    });

    it('rejects an array index of the wrong length', () => {
      expect(decodeError(tiny((ds) => (ds.dimension.Tid.category.index = ['2022', '2023'])))).to.equal(
        'JSON-stat: dimension "Tid" has 2 categories but size says 3',
      );
    });

    it('rejects an index position out of range', () => {
      expect(decodeError(tiny((ds) => (ds.dimension.Tid.category.index = { '2022': 0, '2023': 1, '2024': 3 })))).to.equal(
        'JSON-stat: dimension "Tid" category.index gives "2024" position 3, outside 0..2',
      );
    });

    it('rejects a non-integer index position', () => {
      expect(decodeError(tiny((ds) => (ds.dimension.Tid.category.index = { '2022': 0, '2023': 1.5, '2024': 2 })))).to.equal(
        'JSON-stat: dimension "Tid" category.index gives "2023" position 1.5, outside 0..2',
      );
    });

    it('rejects two codes at one position (not a permutation)', () => {
      expect(decodeError(tiny((ds) => (ds.dimension.Tid.category.index = { '2022': 0, '2023': 1, '2024': 1 })))).to.equal(
        'JSON-stat: dimension "Tid" category.index gives position 1 to both "2023" and "2024"',
      );
    });

    it('rejects a code listed twice in an array index', () => {
      expect(decodeError(tiny((ds) => (ds.dimension.Tid.category.index = ['2022', '2023', '2022'])))).to.equal(
        'JSON-stat: dimension "Tid" category.index lists code "2022" twice',
      );
    });

    it('rejects a missing index on a dimension with several categories', () => {
      expect(
        decodeError(
          tiny((ds) => {
            delete ds.dimension.Region.category.index;
          }),
        ),
      ).to.equal('JSON-stat: dimension "Region" has no category.index, which may only be omitted when there is exactly one category');
    });

    it('rejects too few values (a truncated value array)', () => {
      expect(decodeError(tiny((ds) => ds.value.pop()))).to.equal('JSON-stat: value has 5 entries but size gives 6 cells (2 × 3)');
    });

    it('rejects an empty value array in a data answer', () => {
      expect(decodeError(tiny((ds) => (ds.value = [])))).to.equal('JSON-stat: value has 0 entries but size gives 6 cells (2 × 3)');
    });

    it('rejects a partial value array even in a metadata answer', () => {
      expect(decodeError(tiny((ds) => (ds.value = [1])), true)).to.equal('JSON-stat: value has 1 entries but size gives 6 cells (2 × 3)');
    });

    it('rejects a value that is neither number nor null', () => {
      expect(decodeError(tiny((ds) => (ds.value[2] = '3')))).to.equal('JSON-stat: value[2] must be a number or null, but got: "3"');
    });

    it('rejects the sparse object form of value', () => {
      expect(decodeError(tiny((ds) => (ds.value = { '0': 1 })))).to.equal('JSON-stat: value must be an array (the sparse object form is not supported)');
    });

    it('rejects a status key outside the cells', () => {
      expect(decodeError(tiny((ds) => (ds.status = { '6': '..' })))).to.equal('JSON-stat: status key "6" is not a cell index in 0..5');
    });

    it('rejects a status array of the wrong length', () => {
      expect(decodeError(tiny((ds) => (ds.status = [null, '..'])))).to.equal('JSON-stat: status has 2 entries but there are 6 cells');
    });

    it('rejects cellIndex with an unknown code', () => {
      expect(() => decodeJsonStat2(tiny()).cellIndex({ Region: '9999', Tid: '2024' })).to.throw(JsonStatError, 'JSON-stat: dimension "Region" has no category "9999"');
    });
  });

  // Its speed is measured by `npm run bench` (section 4, against a plain walk of the same values), not here.
  describe('size', () => {
    it('decodes and walks an 800 000-cell cube, visiting each cell once in order', () => {
      const regions = Array.from({ length: 400 }, (_, i) => String(1000 + i));
      const fun = Array.from({ length: 50 }, (_, i) => `F${i}`);
      const years = Array.from({ length: 10 }, (_, i) => String(2015 + i));
      const idx = (codes: string[]) => Object.fromEntries(codes.map((c, i) => [c, i]));
      const value = Array.from({ length: 400 * 50 * 4 * 10 }, (_, i) => (i % 7 === 0 ? null : i));
      const status: Record<string, string> = {};
      for (let i = 0; i < value.length; i += 7) status[String(i)] = '..';
      const ds = {
        version: '2.0',
        class: 'dataset',
        label: 'big',
        id: ['R', 'F', 'C', 'Tid'],
        size: [400, 50, 4, 10],
        dimension: {
          R: { label: 'r', category: { index: idx(regions) } },
          F: { label: 'f', category: { index: idx(fun) } },
          C: { label: 'c', category: { index: ['a', 'b', 'c', 'd'] } },
          Tid: { label: 't', category: { index: idx(years) } },
        },
        value,
        status,
      };
      const cube = decodeJsonStat2(ds);
      let nulls = 0;
      let symbols = 0;
      let visits = 0;
      let outOfOrder = 0;
      cube.forEachCell((_pos, v, s) => {
        if (v === null) nulls++;
        else if (v !== visits) outOfOrder++;
        if (s !== null) symbols++;
        visits++;
      });
      expect(cube.cellCount).to.equal(800_000);
      expect([visits, outOfOrder]).to.deep.equal([800_000, 0]);
      expect(nulls).to.equal(symbols);
      expect(nulls).to.equal(Math.ceil(800_000 / 7));
    });
  });
});
