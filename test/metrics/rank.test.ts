import { expect } from 'chai';
import { rankInGroup } from '../../core/metrics';

describe('metrics/rank', () => {
  it('ranks 1 = highest and names the highest and lowest members', () => {
    const r = rankInGroup([
      { key: 'baerum', value: 2.3 },
      { key: 'asker', value: 2.5 },
      { key: 'tromso', value: -3.7 },
      { key: 'stavanger', value: 3.5 },
    ]);
    expect(r.ranks.map((m) => [m.key, m.rank])).to.deep.equal([
      ['stavanger', 1],
      ['asker', 2],
      ['baerum', 3],
      ['tromso', 4],
    ]);
    expect(r.highest).to.deep.equal({ value: 3.5, keys: ['stavanger'] });
    expect(r.lowest).to.deep.equal({ value: -3.7, keys: ['tromso'] });
    expect(r.count).to.equal(4);
    expect(r.missing).to.deep.equal([]);
  });

  it('gives tied members the same rank and skips the next ("competition" ranking 1, 1, 3)', () => {
    const r = rankInGroup([
      { key: 'a', value: 10 },
      { key: 'b', value: 12 },
      { key: 'c', value: 12 },
      { key: 'd', value: 7 },
      { key: 'e', value: 7 },
    ]);
    expect(r.ranks).to.deep.equal([
      { key: 'b', value: 12, rank: 1 },
      { key: 'c', value: 12, rank: 1 },
      { key: 'a', value: 10, rank: 3 },
      { key: 'd', value: 7, rank: 4 },
      { key: 'e', value: 7, rank: 4 },
    ]);
    expect(r.highest).to.deep.equal({ value: 12, keys: ['b', 'c'] });
    expect(r.lowest).to.deep.equal({ value: 7, keys: ['d', 'e'] });
  });

  it('compares at the shown decimals when asked, so equal figures share a rank', () => {
    const values = [
      { key: 'a', value: 2.34 },
      { key: 'b', value: 2.26 },
      { key: 'c', value: 1.9 },
    ];
    expect(rankInGroup(values).ranks.map((m) => m.rank)).to.deep.equal([1, 2, 3]);
    expect(rankInGroup(values, { decimals: 1 }).ranks.map((m) => m.rank)).to.deep.equal([1, 1, 3]);
    expect(rankInGroup(values, { decimals: 1 }).highest).to.deep.equal({ value: 2.34, keys: ['a', 'b'] });
  });

  it('ranks lowest first on request (e.g. the lowest debt ratio)', () => {
    const r = rankInGroup(
      [
        { key: 'stavanger', value: 71 },
        { key: 'tromso', value: 123 },
        { key: 'baerum', value: 83 },
      ],
      { direction: 'lowestFirst' },
    );
    expect(r.ranks.map((m) => [m.key, m.rank])).to.deep.equal([
      ['stavanger', 1],
      ['baerum', 2],
      ['tromso', 3],
    ]);
    expect(r.highest).to.deep.equal({ value: 123, keys: ['tromso'] });
  });

  it('leaves members without a value unranked and lists them with the reason', () => {
    const r = rankInGroup([
      { key: 'a', value: { value: 1 } },
      { key: 'b', value: { value: null, reason: 'no value for bdi, b, 2024 (no fact loaded)' } },
      { key: 'c', value: null },
    ]);
    expect(r.count).to.equal(1);
    expect(r.ranks).to.deep.equal([
      { key: 'a', value: 1, rank: 1 },
      { key: 'b', value: null, rank: null, reason: 'b: no value for bdi, b, 2024 (no fact loaded)' },
      { key: 'c', value: null, rank: null, reason: 'c is missing' },
    ]);
    expect(r.missing).to.deep.equal([
      { key: 'b', reason: 'b: no value for bdi, b, 2024 (no fact loaded)' },
      { key: 'c', reason: 'c is missing' },
    ]);
  });

  it('gives no highest or lowest for an empty group, and throws on a member given twice', () => {
    expect(rankInGroup([])).to.deep.equal({ ranks: [], highest: null, lowest: null, count: 0, missing: [] });
    expect(() => rankInGroup([{ key: 'a', value: 1 }, { key: 'a', value: 2 }])).to.throw('rankInGroup: member "a" appears twice');
  });
});
