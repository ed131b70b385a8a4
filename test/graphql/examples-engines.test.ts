import path from 'node:path';
import { expect } from 'chai';
import { silentLogger } from '../../core/log';
import { projectRoot } from '../../core/paths';
import { createDemoSource } from '../../etl/demo';
import { runEtl } from '../../etl/pipeline';
import { loadExampleOperations } from '../../src/explorer/explorer';
import { createServer } from '../../src/server';
import { postgresAdminUrl } from '../helpers/engines';
import { openTestWarehouse } from '../helpers/warehouse';
import type { Engine } from '../../db/data-source';

const examples = loadExampleOperations(path.join(projectRoot(), 'schema', 'examples'));

/** Wall-clock times differ between two loads; everything else must not. */
function withoutTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimes);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, /At$/.test(k) && typeof v === 'string' ? '<time>' : withoutTimes(v)]));
  }
  return value;
}

/** Every example of schema/examples, answered by a server over the demo data loaded into `engine`. */
async function answers(engine: Engine): Promise<Map<string, unknown>> {
  const w = await openTestWarehouse(engine);
  const demo = createDemoSource();
  try {
    expect((await runEtl({ store: w.store, source: demo, history: demo })).ok).to.equal(true);
    const server = await createServer({ store: w.store, log: silentLogger, processMetrics: false });
    try {
      const url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}/graphql`;
      const out = new Map<string, unknown>();
      for (const e of examples) {
        const res = await fetch(url, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: e.query, variables: e.variables ? JSON.parse(e.variables) : undefined }),
        });
        out.set(e.name, withoutTimes(await res.json()));
      }
      return out;
    } finally {
      await server.stop();
    }
  } finally {
    await w.close();
  }
}

describe('the examples of schema/examples answer the same on SQLite and PostgreSQL', function () {
  this.timeout(180_000);

  it(`all ${examples.length} examples, over the same demo load, give the same answers (times aside)`, async function () {
    if (!(await postgresAdminUrl())) this.skip();
    const sqlite = await answers('sqlite');
    const postgres = await answers('postgres');
    expect(examples.length).to.be.at.least(8);
    for (const e of examples) {
      const answer = sqlite.get(e.name) as { errors?: unknown; data?: unknown };
      expect(answer.errors, `${e.name} on SQLite`).to.equal(undefined);
      expect(postgres.get(e.name), e.name).to.deep.equal(answer);
    }
  });
});
