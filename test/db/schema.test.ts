import { expect } from 'chai';
import { openTestWarehouse, type TestWarehouse } from '../helpers/warehouse';

describe('the warehouse schema', () => {
  let w: TestWarehouse;
  before(async () => { w = await openTestWarehouse(); });
  after(async () => { await w.close(); });

  it('the migrations build exactly what the entities declare (nothing for synchronize to change)', async () => {
    const pending = await w.ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).to.deep.equal([]);
  });

  it('runs in WAL mode, so readers never block the nightly load', () => {
    expect(w.db.pragma('journal_mode', { simple: true })).to.equal('wal');
  });

  it('seeds the builtin ASSS u/Oslo peer group with its 11 members', () => {
    const members = w.db.prepare("SELECT municipality_key FROM peer_group_member WHERE group_id = 'asss-u-oslo' ORDER BY municipality_key").pluck().all();
    expect(members).to.deep.equal(['1103', '1108', '3107', '3201', '3203', '3205', '3301', '4204', '4601', '5001', '5501']);
  });
});
