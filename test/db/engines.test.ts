import { expect } from 'chai';
import type { DataSource } from 'typeorm';
import { describeEngines, openEngineWarehouse, type EngineWarehouse } from '../helpers/engines';

/** Whether the statement fails; the message when it does. */
async function fails(ds: DataSource, sql: string, params: unknown[] = []): Promise<string | null> {
  try {
    await ds.query(sql, params);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

describeEngines('the migrations on each engine', (engine) => {
  let w: EngineWarehouse;
  before(async () => { w = await openEngineWarehouse(engine); });
  after(async () => { await w?.close(); });
  const p = (n: number) => (engine === 'postgres' ? `$${n}` : '?');

  it('build exactly what the entities declare (nothing for synchronize to change)', async () => {
    const pending = await w.ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).to.deep.equal([]);
  });

  it('store a curated load record whose content hash is 71 characters (sha256: and 64 hex digits)', async () => {
    const hash = `sha256:${'ab'.repeat(32)}`;
    await w.ds.query(`INSERT INTO load (run_id, table_id, source, status, started_at, ssb_updated) VALUES ('r', 'curated', 'curated', 'succeeded', 'now', ${p(1)})`, [hash]);
    const rows: { ssb_updated: string }[] = await w.ds.query(`SELECT ssb_updated FROM load WHERE table_id = 'curated'`);
    expect(rows.map((r) => r.ssb_updated)).to.deep.equal([hash]);
  });

  it('refuse a fact whose indicator, region or service area does not exist (foreign keys)', async () => {
    await w.ds.query(`INSERT INTO indicator (key, table_id, content_code, label, unit, decimals) VALUES ('k', 't', 'c', 'l', 'kr', 0)`);
    await w.ds.query(`INSERT INTO region (code, name, label, kind) VALUES ('0301', 'Oslo', 'Oslo', 'municipality')`);
    await w.ds.query(`INSERT INTO service_area (code, label, kind) VALUES ('FG0', 'Alt', 'total')`);
    const [{ id }] = await w.ds.query<{ id: number }[]>(`SELECT id FROM indicator WHERE key = 'k'`);
    const fact = `INSERT INTO fact (indicator_id, year, region_code, service_area_code, value, load_id) VALUES (${p(1)}, 2024, ${p(2)}, ${p(3)}, 1, 1)`;
    expect(await fails(w.ds, fact, [id + 1, '0301', 'FG0'])).to.match(/foreign key/i);
    expect(await fails(w.ds, fact, [id, '9999', 'FG0'])).to.match(/foreign key/i);
    expect(await fails(w.ds, fact, [id, '0301', 'NOPE'])).to.match(/foreign key/i);
    expect(await fails(w.ds, fact, [id, '0301', 'FG0'])).to.equal(null);
  });

  it('delete a peer group\'s members with the group', async () => {
    await w.ds.query(`INSERT INTO peer_group (id, name, builtin) VALUES ('mine', 'Mine', ${engine === 'postgres' ? 'false' : '0'})`);
    await w.ds.query(`INSERT INTO peer_group_member (group_id, municipality_key) VALUES ('mine', '0301')`);
    await w.ds.query(`DELETE FROM peer_group WHERE id = 'mine'`);
    expect(await w.ds.query(`SELECT * FROM peer_group_member WHERE group_id = 'mine'`)).to.deep.equal([]);
  });
});
