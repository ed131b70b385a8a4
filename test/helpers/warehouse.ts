import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { openWarehouse, rawDatabase } from '../../db/data-source';

export interface TestWarehouse {
  ds: DataSource;
  db: BetterSqlite3.Database;
  path: string;
  close(): Promise<void>;
}

/** A migrated warehouse in a fresh temporary file (not :memory:, so child processes can open it too). */
export async function openTestWarehouse(): Promise<TestWarehouse> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kostra-test-'));
  const file = path.join(dir, 'warehouse.sqlite');
  const ds = await openWarehouse({ path: file });
  return {
    ds, db: rawDatabase(ds), path: file,
    async close() {
      if (ds.isInitialized) await ds.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every fact as one comparable string per row (for "nothing changed" assertions). */
export function factSnapshot(db: BetterSqlite3.Database): string[] {
  return (db.prepare(`SELECT i.key, f.year, f.region_code, f.service_area_code, f.value, f.status, f.load_id
    FROM fact f JOIN indicator i ON i.id = f.indicator_id ORDER BY 1, 2, 3, 4`).raw().all() as unknown[][]).map((r) => JSON.stringify(r));
}
