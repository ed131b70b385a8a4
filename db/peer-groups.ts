import type { WarehouseStore } from './store';

/** A peer group an operator saves: members by stable municipality key. */
export interface SavedGroup {
  id: string;
  name: string;
  description: string | null;
  members: string[];
}

/** Load records of saved groups use this table id: saving or deleting one moves the warehouse version. */
export const PEER_GROUP_TABLE_ID = 'peer-groups';

/**
 * Saves and deletes the operators' own peer groups (the shipped ones are re-seeded on every start and cannot be
 * changed here). Each change is one transaction with a load record, so the warehouse version moves and no cached
 * answer keeps the old membership.
 */
export class PeerGroupWriter {
  constructor(private readonly store: WarehouseStore, private readonly now: () => Date = () => new Date()) {}

  /** True when `id` names a shipped group. */
  async isBuiltin(id: string): Promise<boolean> {
    return (await this.store.get({ builtin: 'boolean' }, 'SELECT builtin FROM peer_group WHERE id = ?', [id], 'peer group'))?.builtin === true;
  }

  async save(group: SavedGroup): Promise<void> {
    await this.store.write(async (tx) => {
      await tx.run(`INSERT INTO peer_group (id, name, description, ssb_region_code, builtin) VALUES (?, ?, ?, NULL, ?)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description`, [group.id, group.name, group.description, false]);
      await tx.run('DELETE FROM peer_group_member WHERE group_id = ?', [group.id]);
      for (const key of group.members) {
        await tx.run('INSERT INTO peer_group_member (group_id, municipality_key, from_year, to_year) VALUES (?, ?, NULL, NULL)', [group.id, key]);
      }
      await this.record(tx, `saved ${group.id}`);
    });
  }

  /** False when there was no such saved group. */
  async delete(id: string): Promise<boolean> {
    return this.store.write(async (tx) => {
      await tx.run('DELETE FROM peer_group_member WHERE group_id = ?', [id]);
      const gone = (await tx.run('DELETE FROM peer_group WHERE id = ? AND NOT builtin', [id])) > 0;
      if (gone) await this.record(tx, `deleted ${id}`);
      return gone;
    });
  }

  private async record(tx: Parameters<Parameters<WarehouseStore['write']>[0]>[0], what: string): Promise<void> {
    const at = this.now().toISOString();
    await tx.run(`INSERT INTO load (run_id, table_id, source, status, started_at, finished_at, ssb_updated, pid)
      VALUES (?, ?, 'user', 'succeeded', ?, ?, NULL, ?)`, [`peer-group ${what}`.slice(0, 64), PEER_GROUP_TABLE_ID, at, at, process.pid]);
  }
}
