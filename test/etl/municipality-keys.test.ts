import { expect } from 'chai';
import { buildMunicipalityKeys, coalesceByKey, codeValidity, endOfYearTerritory, historyStarts, isMunicipalityCode, type CodeYearRow } from '../../core/municipalities/code-history';
import type { KlassCodeChange } from '../../etl/pxweb/types';

const change = (oldCode: string, oldName: string, newCode: string, newName: string, changeOccurred: string): KlassCodeChange => ({
  oldCode,
  oldName,
  newCode,
  newName,
  changeOccurred,
});

/** Real changes from Klass 131 (2018, 2020, 2024 reforms), trimmed to the municipalities used here. */
const changes: KlassCodeChange[] = [
  // Bærum: renumbered twice
  change('0219', 'Bærum', '3024', 'Bærum', '2020-01-01'),
  change('3024', 'Bærum', '3201', 'Bærum', '2024-01-01'),
  // Asker: merger of Asker, Røyken and Hurum, then renumbered
  change('0220', 'Asker', '3025', 'Asker', '2020-01-01'),
  change('0627', 'Røyken', '3025', 'Asker', '2020-01-01'),
  change('0628', 'Hurum', '3025', 'Asker', '2020-01-01'),
  change('3025', 'Asker', '3203', 'Asker', '2024-01-01'),
  // Trondheim: renumbered in 2018, Klæbu merged in 2020 (after its own 2018 renumbering)
  change('1601', 'Trondheim', '5001', 'Trondheim - Tråante', '2018-01-01'),
  change('1662', 'Klæbu', '5030', 'Klæbu', '2018-01-01'),
  change('5030', 'Klæbu', '5001', 'Trondheim - Tråante', '2020-01-01'),
  // Ålesund: merged in 2020, split in 2024 into Ålesund and Haram
  change('1504', 'Ålesund', '1507', 'Ålesund', '2020-01-01'),
  change('1534', 'Haram', '1507', 'Ålesund', '2020-01-01'),
  change('1507', 'Ålesund', '1508', 'Ålesund', '2024-01-01'),
  change('1507', 'Ålesund', '1580', 'Haram', '2024-01-01'),
  // Snillfjord: split in 2020 into three, none keeping the name
  change('5012', 'Snillfjord', '5055', 'Heim', '2020-01-01'),
  change('5012', 'Snillfjord', '5056', 'Hitra', '2020-01-01'),
  change('5012', 'Snillfjord', '5059', 'Orkland', '2020-01-01'),
  // a rename without a new code
  change('0301', 'Oslo', '0301', 'Oslo - Oslove', '2020-01-01'),
];

describe('municipality-keys', () => {
  describe('buildMunicipalityKeys', () => {
    const codes = ['0219', '3024', '3201', '0220', '0627', '0628', '3025', '3203', '1601', '5001', '1662', '5030', '1504', '1534', '1507', '1508', '1580', '5012', '5055', '5056', '5059', '0301', 'EAK', 'EKG12', 'EAKUO'];
    const keys = buildMunicipalityKeys(changes, codes);

    it('gives Bærum 0219 → 3024 → 3201 the key 3201 for all three codes', () => {
      expect(['0219', '3024', '3201'].map((c) => keys.get(c))).to.deep.equal(['3201', '3201', '3201']);
    });

    it('gives the merged Asker, Røyken and Hurum the key 3203', () => {
      expect(['0220', '0627', '0628', '3025', '3203'].map((c) => keys.get(c))).to.deep.equal(['3203', '3203', '3203', '3203', '3203']);
    });

    it('gives Trondheim 1601 → 5001 (2018) and Klæbu via 5030 the key 5001, ignoring the Sami name', () => {
      expect(['1601', '5001', '1662', '5030'].map((c) => keys.get(c))).to.deep.equal(['5001', '5001', '5001', '5001']);
    });

    it('lets a split code keep its own key: 1507 Ålesund (2020–2023) is not continued by 1508 Ålesund, which covers less land', () => {
      expect(['1504', '1534', '1507', '1508', '1580'].map((c) => keys.get(c))).to.deep.equal(['1507', '1507', '1507', '1508', '1580']);
    });

    it('lets a split code keep its own key when no successor has its name either', () => {
      expect(['5012', '5055', '5056', '5059'].map((c) => keys.get(c))).to.deep.equal(['5012', '5055', '5056', '5059']);
    });

    it('maps codes without changes (and renames) to themselves', () => {
      expect(keys.get('0301')).to.equal('0301');
      expect(buildMunicipalityKeys([], ['4601']).get('4601')).to.equal('4601');
    });

    it('leaves non-municipality codes out of the map', () => {
      expect(keys.has('EAK')).to.equal(false);
      expect(keys.has('EKG12')).to.equal(false);
      expect(keys.has('EAKUO')).to.equal(false);
      expect(isMunicipalityCode('EKG12')).to.equal(false);
      expect(isMunicipalityCode('0301')).to.equal(true);
    });

    it('follows the chain even when the intermediate code is not among the codes', () => {
      expect(buildMunicipalityKeys(changes, ['0219']).get('0219')).to.equal('3201');
    });

    it('does not follow a change that happened before the code was reached', () => {
      // 1111 → 2222 in 2024; 2222 was also an OLD code that changed to 3333 back in 2018 (a reused number)
      const reused = [change('1111', 'A', '2222', 'A', '2024-01-01'), change('2222', 'B', '3333', 'B', '2018-01-01')];
      const k = buildMunicipalityKeys(reused, ['1111', '2222']);
      expect(k.get('1111')).to.equal('2222');
      expect(k.get('2222')).to.equal('3333');
    });

    it('stops safely on a cycle, giving every code on it the same (smallest) key', () => {
      const cycle = [
        change('1000', 'X', '2000', 'X', '2020-01-01'),
        change('2000', 'X', '3000', 'X', '2020-01-01'),
        change('3000', 'X', '1000', 'X', '2020-01-01'),
        change('0500', 'Y', '2000', 'X', '2019-01-01'),
      ];
      const k = buildMunicipalityKeys(cycle, ['1000', '2000', '3000', '0500']);
      expect([...k.entries()]).to.deep.equal([
        ['1000', '1000'],
        ['2000', '1000'],
        ['3000', '1000'],
        ['0500', '1000'],
      ]);
    });
  });

  describe('coalesceByKey', () => {
    const keys = buildMunicipalityKeys(changes, ['0219', '3024', '3201', '0220', '0627', '0628', '3025', '3203']);
    const row = (code: string, year: number, value: number | null, status: string | null = null): CodeYearRow<number> => ({ code, year, value, status });

    it('joins a renumbered series into one value per year', () => {
      const out = coalesceByKey(
        [row('0219', 2019, 1.5), row('3024', 2019, null, '.'), row('0219', 2020, null, '.'), row('3024', 2020, 2.5), row('3201', 2024, 3.5), row('3024', 2024, null, '.')],
        keys,
      );
      expect(out).to.deep.equal([
        { key: '3201', year: 2019, value: 1.5, status: null, code: '0219' },
        { key: '3201', year: 2020, value: 2.5, status: null, code: '3024' },
        { key: '3201', year: 2024, value: 3.5, status: null, code: '3201' },
      ]);
    });

    it('never sums the merged municipalities: several different values make the year ambiguous', () => {
      const out = coalesceByKey([row('0220', 2019, 10), row('0627', 2019, 20), row('0628', 2019, 30)], keys);
      expect(out).to.deep.equal([{ key: '3203', year: 2019, value: null, status: null, code: null, ambiguous: ['0220', '0627', '0628'] }]);
    });

    it('a merger year with one member suppressed is null, naming it, not the sum of the others ("." and "-" are not missing)', () => {
      const validIn = (code: string, year: number) => (year < 2020 ? ['0220', '0627', '0628'] : ['3025']).includes(code);
      const codesOf = () => ['0220', '0627', '0628', '3025', '3203'];
      const suppressed = [row('0220', 2019, 10), row('0627', 2019, 20), row('0628', 2019, null, ':')];
      expect(coalesceByKey(suppressed, keys, validIn, { additive: true, codesOf })).to.deep.equal([
        { key: '3203', year: 2019, value: null, status: null, code: null, missingParts: [{ code: '0628', status: ':' }] },
      ]);
      const absent = [row('0220', 2019, 10), row('0627', 2019, 20)];
      expect(coalesceByKey(absent, keys, validIn, { additive: true, codesOf })[0].missingParts, 'a member with no row at all').to.deep.equal([{ code: '0628', status: null }]);
      const nil = [row('0220', 2019, 10), row('0627', 2019, 20), row('0628', 2019, null, '-')];
      expect(coalesceByKey(nil, keys, validIn, { additive: true, codesOf })[0]).to.include({ value: 30 });
      expect(coalesceByKey([row('0220', 2019, 4.2), row('0628', 2019, null, ':')], keys, validIn, { codesOf })[0], 'one member\'s ratio is not the merged municipality\'s').to.include({ value: null });
    });

    it('sums an additive amount over the codes valid in a merger year, and only those', () => {
      const validIn = (code: string, year: number) => (year < 2020 ? ['0220', '0627', '0628'] : ['3025']).includes(code);
      const rows = [row('0220', 2019, 10), row('0627', 2019, 20), row('0628', 2019, 30), row('3025', 2019, 99)];
      expect(coalesceByKey(rows, keys, validIn, { additive: true })).to.deep.equal([
        { key: '3203', year: 2019, value: 60, status: null, code: null, summed: ['0220', '0627', '0628'] },
      ]);
      expect(coalesceByKey(rows, keys, validIn)[0], 'a ratio is never summed').to.include({ value: null, code: null });
    });

    it('prefers the code valid that year when validity is known', () => {
      const validIn = (code: string, year: number) => (year < 2020 ? ['0220', '0627', '0628'] : year < 2024 ? ['3025'] : ['3203']).includes(code);
      const out = coalesceByKey([row('3025', 2022, 5), row('0220', 2022, 4)], keys, validIn);
      expect(out).to.deep.equal([{ key: '3203', year: 2022, value: 5, status: null, code: '3025' }]);
    });

    it('takes a value published identically under two codes', () => {
      const out = coalesceByKey([row('0219', 2019, 7), row('3024', 2019, 7)], keys);
      expect(out).to.deep.equal([{ key: '3201', year: 2019, value: 7, status: null, code: '0219' }]);
    });

    it('keeps a suppressed value as null with its symbol rather than the "not applicable" of an old code', () => {
      const out = coalesceByKey([row('0219', 2022, null, '.'), row('3024', 2022, null, ':')], keys);
      expect(out).to.deep.equal([{ key: '3201', year: 2022, value: null, status: ':', code: '3024' }]);
    });

    it('passes through rows whose code has no key (EAK) under their own code, using a function as keyOf', () => {
      const out = coalesceByKey([row('EAK', 2024, 1), row('0219', 2019, 2)], (c) => keys.get(c));
      expect(out.map((r) => [r.key, r.year, r.value])).to.deep.equal([
        ['3201', 2019, 2],
        ['EAK', 2024, 1],
      ]);
    });
  });

  describe('historyStarts and endOfYearTerritory', () => {
    const keys = buildMunicipalityKeys(changes, ['1504', '1534', '1507', '1508', '1580', '5012', '5055', '0219', '3024', '3201']);
    const keyOf = (c: string) => keys.get(c) ?? c;

    it('starts the series of every successor of a split at the split, with the reason in words; renumberings and mergers keep their history', () => {
      const starts = historyStarts(changes, keyOf);
      expect(starts.get('1508')).to.deep.equal({ year: 2024, reason: 'Ålesund (1508) has no figures before 2024: Ålesund (1507) was split on 2024-01-01 between Ålesund (1508) and Haram (1580), so earlier figures cover another territory' });
      expect(starts.get('1580')?.year).to.equal(2024);
      expect(starts.get('5055')?.year).to.equal(2020);
      expect(starts.has('1507'), 'the split municipality keeps its own history').to.equal(false);
      expect(starts.has('3201')).to.equal(false);
      expect(starts.has('3203')).to.equal(false);
    });

    it('finds the territory of a code on 31.12: itself, its successors after a split or renumbering, none when territories joined', () => {
      const inUse: Record<number, string[]> = {
        2019: ['0219', '0220', '0627', '0628', '1504', '1534', '5001', '5030', '1103', '1141'],
        2020: ['3024', '3025', '1507', '5001', '1103'],
        2023: ['3024', '3025', '1507', '5001', '1103'],
        2024: ['1508', '1580', '3201', '3203', '5001', '1103'],
        2025: ['1508', '1580', '3201', '3203', '5001', '1103'],
      };
      const valid = (c: string, y: number) => (inUse[y] ?? []).includes(c);
      const withAbsorption = [...changes, change('1141', 'Finnøy', '1103', 'Stavanger', '2020-01-01')];
      expect(endOfYearTerritory('3201', 2024, changes, valid)).to.deep.equal({ ok: true, codes: ['3201'] });
      expect(endOfYearTerritory('1507', 2023, changes, valid)).to.deep.equal({ ok: true, codes: ['1508', '1580'] });
      expect(endOfYearTerritory('3024', 2023, changes, valid)).to.deep.equal({ ok: true, codes: ['3201'] });
      expect(endOfYearTerritory('0627', 2019, changes, valid)).to.deep.equal({ ok: false, reason: 'the population of 0627 on 31.12.2019 is not published: it merged into 3025 on 2020-01-01 together with 0220, 0628' });
      expect(endOfYearTerritory('5030', 2019, changes, valid)).to.deep.equal({ ok: false, reason: 'the population of 5030 on 31.12.2019 is not published: it merged into 5001, which already existed, on 2020-01-01' });
      expect(endOfYearTerritory('1103', 2019, withAbsorption, valid)).to.deep.equal({ ok: false, reason: 'the population of 1103 on 31.12.2019 is not published: 1103 absorbed 1141 on 2020-01-01, so its 1 January count covers more land' });
    });
  });

  describe('codeValidity', () => {
    it('starts a new code in the year of its change and ends an old code the year before', () => {
      const validity = codeValidity([
        { oldCode: '0219', oldName: 'Bærum', newCode: '3024', newName: 'Bærum', changeOccurred: '2020-01-01' },
        { oldCode: '3024', oldName: 'Bærum', newCode: '3201', newName: 'Bærum', changeOccurred: '2024-01-01' },
        { oldCode: '0301', oldName: 'Oslo', newCode: '0301', newName: 'Oslo', changeOccurred: '2020-01-01' },
      ]);
      expect(Object.fromEntries(validity)).to.deep.equal({ '0219': { to: 2019 }, '3024': { from: 2020, to: 2023 }, '3201': { from: 2024 } });
    });
  });
});
