import type BetterSqlite3 from 'better-sqlite3';

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
  constructor(private readonly db: BetterSqlite3.Database, private readonly now: () => Date = () => new Date()) {}

  /** True when `id` names a shipped group. */
  isBuiltin(id: string): boolean {
    return this.db.prepare('SELECT builtin FROM peer_group WHERE id = ?').pluck().get(id) === 1;
  }

  save(group: SavedGroup): void {
    this.db.transaction(() => {
      this.db.prepare(`INSERT INTO peer_group (id, name, description, ssb_region_code, builtin) VALUES (?, ?, ?, NULL, 0)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description`).run(group.id, group.name, group.description);
      this.db.prepare('DELETE FROM peer_group_member WHERE group_id = ?').run(group.id);
      const member = this.db.prepare('INSERT INTO peer_group_member (group_id, municipality_key, from_year, to_year) VALUES (?, ?, NULL, NULL)');
      for (const key of group.members) member.run(group.id, key);
      this.record(`saved ${group.id}`);
    }).immediate();
  }

  /** False when there was no such saved group. */
  delete(id: string): boolean {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM peer_group_member WHERE group_id = ?').run(id);
      const gone = this.db.prepare('DELETE FROM peer_group WHERE id = ? AND builtin = 0').run(id).changes > 0;
      if (gone) this.record(`deleted ${id}`);
      return gone;
    }).immediate();
  }

  private record(what: string): void {
    const at = this.now().toISOString();
    this.db.prepare(`INSERT INTO load (run_id, table_id, source, status, started_at, finished_at, ssb_updated, pid)
      VALUES (?, ?, 'user', 'succeeded', ?, ?, NULL, ?)`).run(`peer-group ${what}`.slice(0, 64), PEER_GROUP_TABLE_ID, at, at, process.pid);
  }
}
