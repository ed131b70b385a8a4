import fs from 'node:fs';
import path from 'node:path';
import { runEtl } from '../../etl/pipeline';
import { createDemoSource } from '../../etl/demo';
import { silentLogger, type Logger } from '../../core/log';
import { Refresher } from '../../etl/refresher';
import { defaultCuratedDir } from '../../etl/curated-inputs';
import { createServer, type AppServer } from '../../src/server';
import { postGraphql, type GraphQLResponse } from '../helpers/graphql-post';
import { projectRoot } from '../../core/paths';
import { openTestWarehouse, testEngine, type TestWarehouse } from '../helpers/warehouse';
import { freshLocation, type EngineLocation } from '../helpers/engines';
import { openStore, type WarehouseStore } from '../../db/store';
import { readCsv } from '../standin/cells';

export type { GraphQLResponse };

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface Harness {
  warehouse: TestWarehouse;
  server: AppServer;
  url: string;
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/**
 * A warehouse loaded with the bundled demo data (in-process, no HTTP) and the real server on a free port.
 * `log` lets a test read what the server logged (silent by default); `serve` puts a test double between the server
 * and the warehouse (the load and the harness's own reads use the warehouse directly).
 */
export async function startHarness(options: { log?: Logger; serve?: (store: WarehouseStore) => WarehouseStore } = {}): Promise<Harness> {
  const warehouse = await openTestWarehouse(testEngine(), await loadedDemo());
  const refresher = new Refresher(warehouse.store, silentLogger, { source: 'demo', ssbApiUrl: 'http://127.0.0.1:9/unused', klassApiUrl: 'http://127.0.0.1:9/unused', curatedDir: defaultCuratedDir() });
  const server = await createServer({ store: options.serve?.(warehouse.store) ?? warehouse.store, log: options.log ?? silentLogger, refresher, adminToken: ADMIN_TOKEN });
  const port = await server.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}/graphql`;
  return {
    warehouse, server, url,
    gql: (query, variables, headers) => postGraphql(url, query, variables, headers),
    async close() {
      await refresher.stop();
      await server.stop();
      await warehouse.close();
    },
  };
}

/**
 * The demo load, run once per test process and copied for every harness: a load takes seconds (over ten on
 * PostgreSQL), a copy a fraction of that. Dropped after the process's last test.
 */
let demoLoaded: Promise<EngineLocation> | null = null;
function loadedDemo(): Promise<EngineLocation> {
  demoLoaded ??= (async () => {
    const location = await freshLocation(testEngine());
    const store = await openStore(location.options);
    try {
      const demo = createDemoSource();
      const result = await runEtl({ store, source: demo, history: demo });
      if (!result.ok) throw new Error(`demo load failed: ${JSON.stringify(result.tables.map((t) => [t.tableId, t.status, t.error]))}`);
    } finally {
      await store.close();
    }
    return location;
  })();
  return demoLoaded;
}
// mocha's root hook (this module is loaded with the test files); elsewhere there is nothing to drop after
if (typeof after === 'function') after(async () => { if (demoLoaded) await (await demoLoaded.catch(() => null))?.drop(); });

export function example(name: string): string {
  return fs.readFileSync(path.join(projectRoot(), 'schema', 'examples', `${name}.graphql`), 'utf8');
}

/** The report's published figures (copied from shared/data into test/fixtures/report). */
export const reportCsv = readCsv;

export const round = (v: number, decimals: number) => Number(v.toFixed(decimals));
