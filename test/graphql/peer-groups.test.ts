import { expect } from 'chai';
import { factLookup } from '../helpers/warehouse';
import { ADMIN_TOKEN, startHarness, type Harness } from './harness';

const MEMBERS = '["Bærum", "Asker", "Lillestrøm"]';

describe('the analyst\'s own peer group: given with a query, or saved by an operator', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h?.close(); });

  const series = async (subject: string, metric = 'resultatgrad') => {
    const res = await h.gql(`{ metricSeries(metric: "${metric}", subjects: [${subject}], years: { list: [2024] }) { series { subject { kind name members } points { value reason } } } }`);
    expect(res.body.errors, JSON.stringify(res.body.errors)).to.equal(undefined);
    return res.body.data!.metricSeries.series[0];
  };

  it('averages a group given with the query like a saved one: weighted Σ numerator / Σ denominator, unweighted, and excluding self', async () => {
    const own = await Promise.all(['Bærum', 'Asker', 'Lillestrøm'].map((m) => series(`{ municipality: "${m}" }`)));
    // 2024: each member under its own 2024 code
    const fact = await factLookup(h.warehouse.store);
    const amounts = ['netto_driftsresultat', 'bdi'].map((key) => ['3201', '3203', '3205'].map((code) => fact(key, code, 2024)!));
    const [num, den] = amounts.map((a) => a.reduce((s, v) => s + v, 0));
    const weighted = await series(`{ group: { name: "Nabokommuner", members: ${MEMBERS} } }`);
    expect(weighted.subject).to.deep.include({ kind: 'PEER_GROUP', name: 'Nabokommuner' });
    expect(weighted.subject.members).to.have.members(['3201', '3203', '3205']);
    expect(weighted.points[0].value).to.be.closeTo((num / den) * 100, 1e-9);
    const unweighted = await series(`{ group: { name: "Nabokommuner", members: ${MEMBERS} }, average: UNWEIGHTED }`);
    expect(unweighted.points[0].value).to.be.closeTo(own.reduce((s, o) => s + (o.points[0].value as number), 0) / 3, 1e-9);
    const without = await series(`{ group: { name: "Nabokommuner", members: ${MEMBERS} }, excluding: "Bærum" }`);
    expect(without.points[0].value).to.be.closeTo(((num - amounts[0][0]) / (den - amounts[1][0])) * 100, 1e-9);
  });

  it('ranks the members of a group given with peerComparison, and refuses peerGroup and group together', async () => {
    const res = await h.gql(`{ peerComparison(metric: "resultatgrad", year: 2024, group: { name: "Nabokommuner", members: ${MEMBERS} }) { peerGroup { name builtin } members { municipality { key } rank value } highest { municipality { key } } } }`);
    expect(res.body.errors).to.equal(undefined);
    const p = res.body.data!.peerComparison;
    expect(p.peerGroup).to.deep.equal({ name: 'Nabokommuner', builtin: false });
    expect(p.members.map((m: { rank: number }) => m.rank)).to.deep.equal([1, 2, 3]);
    expect(p.highest.municipality.key).to.equal(p.members[0].municipality.key);
    const both = await h.gql(`{ peerComparison(metric: "resultatgrad", year: 2024, peerGroup: "asss-u-oslo", group: { name: "x", members: ${MEMBERS} }) { year } }`);
    expect(both.body.errors![0]).to.deep.include({ message: 'give exactly one of peerGroup (an id or name) or group (your own members)' });
  });

  it('refuses a group of one, a member given twice under two codes, and an unknown member with suggestions', async () => {
    const one = await h.gql('{ metricSeries(metric: "resultatgrad", subjects: [{ group: { name: "x", members: ["Bærum"] } }], years: { list: [2024] }) { years } }');
    expect(one.body.errors![0].message).to.equal('subjects[0].group.members: 1 given; a group has 2 to 100 municipalities');
    const twice = await h.gql('{ metricSeries(metric: "resultatgrad", subjects: [{ group: { name: "x", members: ["Bærum", "0219"] } }], years: { list: [2024] }) { years } }');
    expect(twice.body.errors![0].message).to.equal('subjects[0].group.members: 3201 given twice (a municipality counts once in a group)');
    const unknown = await h.gql('{ metricSeries(metric: "resultatgrad", subjects: [{ group: { name: "x", members: ["Bærum", "Askerr"] } }], years: { list: [2024] }) { years } }');
    expect(unknown.body.errors![0].extensions!.code).to.equal('BAD_USER_INPUT');
    expect(unknown.body.errors![0].message).to.match(/^unknown municipality "Askerr"; did you mean "Asker"/);
  });

  it('an operator saves a group with the admin token; it is then a peer group like the shipped ones, the version moves, and it can be deleted', async () => {
    const save = `mutation { savePeerGroup(id: "nabokommuner-baerum", name: "Nabokommuner", members: ${MEMBERS}, description: "Bærum og naboene") { id name builtin members { municipalityKey } } }`;
    const anonymous = await h.gql(save);
    expect(anonymous.body.errors![0].extensions!.code).to.equal('UNAUTHENTICATED');
    const before = Number((await h.gql('{ years }')).headers.get('x-warehouse-version'));
    const saved = await h.gql(save, undefined, { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(saved.body.errors).to.equal(undefined);
    expect(saved.body.data!.savePeerGroup).to.deep.include({ id: 'nabokommuner-baerum', name: 'Nabokommuner', builtin: false });
    const after = await h.gql('{ peerGroups { id builtin } }');
    expect(Number(after.headers.get('x-warehouse-version'))).to.be.greaterThan(before);
    expect(after.body.data!.peerGroups).to.deep.include({ id: 'nabokommuner-baerum', builtin: false });
    const viaId = await series('{ peerGroup: "nabokommuner-baerum" }');
    const viaGroup = await series(`{ group: { name: "Nabokommuner", members: ${MEMBERS} } }`);
    expect(viaId.points[0].value).to.equal(viaGroup.points[0].value);

    const builtin = await h.gql('mutation { savePeerGroup(id: "asss-u-oslo", name: "x", members: ["Bærum", "Asker"]) { id } }', undefined, { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(builtin.body.errors![0].message).to.equal('id "asss-u-oslo" is a shipped peer group; save yours under another id');
    const deleted = await h.gql('mutation { deletePeerGroup(id: "nabokommuner-baerum") }', undefined, { authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(deleted.body.data!.deletePeerGroup).to.equal(true);
    const gone = await h.gql('{ metricSeries(metric: "resultatgrad", subjects: [{ peerGroup: "nabokommuner-baerum" }], years: { list: [2024] }) { years } }');
    expect(gone.body.errors![0].message).to.match(/^unknown peer group "nabokommuner-baerum"/);
  });
});
