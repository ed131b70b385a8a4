import { expect } from 'chai';
import type { Sql } from '../../db/store';
import { dollarPlaceholders } from '../../db/store/postgres';
import { describeEngines } from '../helpers/engines';
import { openTestWarehouse, type TestWarehouse } from '../helpers/warehouse';

describe('PostgreSQL placeholders', () => {
  it('turns ? into $1, $2… outside quoted text only', () => {
    expect(dollarPlaceholders("SELECT ? AS a, '?' AS b, \"c?\" FROM t WHERE x = ? AND y IN (?, ?)"))
      .to.equal("SELECT $1 AS a, '?' AS b, \"c?\" FROM t WHERE x = $2 AND y IN ($3, $4)");
  });
});

describeEngines('the warehouse store', (engine) => {
  let w: TestWarehouse;
  before(async () => { w = await openTestWarehouse(engine); });
  after(async () => { await w?.close(); });

  it('gives rows their spec\'s camelCase names and booleans as booleans, whatever the engine folds', async () => {
    const rows = await w.store.all({ groupId: 'string', isBuiltin: 'boolean' },
      "SELECT id AS groupId, builtin AS isBuiltin FROM peer_group WHERE id = 'asss-u-oslo'");
    expect(rows).to.deep.equal([{ groupId: 'asss-u-oslo', isBuiltin: true }]);
  });

  it('reads rows of every column type the way the driver builds them, the same statement by all and by get', async () => {
    const sql = "SELECT 'a' AS r, 1 AS y, CAST(2.5 AS double precision) AS v, CAST(NULL AS varchar(8)) AS s, 3 AS l UNION ALL SELECT 'b', 2, NULL, 'x', 4 ORDER BY r";
    const spec = { r: 'string', y: 'number', v: 'number?', s: 'string?', l: 'number' } as const;
    const rows = await w.store.all(spec, sql);
    const one = await w.store.get(spec, sql);
    if (engine === 'sqlite') expect(rows).to.deep.equal(w.db.prepare(sql).all()); // better-sqlite3's own row objects
    expect(rows.length).to.be.greaterThan(1);
    expect(one).to.deep.equal(rows[0]);
    expect(await w.store.all(spec, sql)).to.deep.equal(rows); // the statement is cached: read again after get
  });

  it('binds booleans on both engines', async () => {
    await w.store.run('INSERT INTO peer_group (id, name, builtin) VALUES (?, ?, ?)', ['mine', 'Mine', false]);
    expect(await w.store.get({ builtin: 'boolean' }, 'SELECT builtin FROM peer_group WHERE id = ?', ['mine'])).to.deep.equal({ builtin: false });
  });

  it('rolls a write transaction back when it throws', async () => {
    const before = (await w.store.get({ n: 'number' }, 'SELECT COUNT(*) AS n FROM load'))!.n;
    let error: unknown;
    try {
      await w.store.write(async (tx) => {
        await tx.run("INSERT INTO load (run_id, table_id, source, status, started_at) VALUES ('r', 't', 'live', 'succeeded', 'now')");
        throw new Error('boom');
      });
    } catch (e) { error = e; }
    expect((error as Error).message).to.equal('boom');
    expect((await w.store.get({ n: 'number' }, 'SELECT COUNT(*) AS n FROM load'))!.n).to.equal(before);
  });

  it('an autocommit read never sees the rows of a write transaction still open in this process', async () => {
    const count = async () => (await w.store.get({ n: 'number' }, 'SELECT COUNT(*) AS n FROM load'))!.n;
    const before = await count();
    let fail!: () => void;
    const failing = new Promise<void>((_, reject) => { fail = () => reject(new Error('rolled back')); });
    let inserted!: () => void;
    const insertedRow = new Promise<void>((resolve) => { inserted = resolve; });
    const writing = w.store.write(async (tx) => {
      await tx.run("INSERT INTO load (run_id, table_id, source, status, started_at) VALUES ('open', 't', 'live', 'running', 'now')");
      inserted();
      await failing;
    });
    await insertedRow;
    // asked while the transaction holds its uncommitted row; answered after it rolls back
    const during = count();
    fail();
    await writing.catch(() => undefined);
    expect(await during, 'rows counted while the write was open').to.equal(before);
  });

  it('a read snapshot keeps seeing the version it began with while a load commits', async () => {
    const version = async (sql: Sql = w.store) =>
      (await sql.get({ v: 'number' }, "SELECT COALESCE(MAX(id), 0) AS v FROM load WHERE status = 'succeeded'"))!.v;
    const lease = await w.store.beginRead();
    try {
      const seen = await version(lease.sql);
      await w.store.run("INSERT INTO load (run_id, table_id, source, status, started_at) VALUES ('r2', 't', 'live', 'succeeded', 'now')");
      expect(await version(), 'committed').to.be.greaterThan(seen);
      expect(await version(lease.sql), 'inside the snapshot').to.equal(seen);
    } finally {
      await lease.release();
    }
  });
});
