/**
 * What a run learned besides facts — where each indicator was found, the Klass code changes, the reconciliation
 * with SSB's published figures — written in one transaction at the end of the run with a load record of its own
 * (table `derived`), so the warehouse version moves and no cached answer keeps reasons or warnings that no longer
 * hold. Nothing is written when it is all as the last derived record left it.
 */
import crypto from 'node:crypto';
import type { WarehouseStore } from '../db/store';
import type { KlassCodeChange } from '../core/municipalities/code-history';
import type { ReconciliationResult } from './reconcile';
import type { CatalogueResolution } from './resolve';

export const DERIVED_TABLE_ID = 'derived';

export interface DerivedResult {
  changed: boolean;
  /** Indicators no longer in the catalogue, deleted with their facts. */
  pruned: string[];
}

export interface DerivedInput {
  runId: string;
  now: () => Date;
  resolution: CatalogueResolution;
  changes: readonly KlassCodeChange[];
  /** Null when the run reconciled nothing (no table loaded): the last results stand. */
  reconciliation: ReconciliationResult[] | null;
  /** Every indicator key of the catalogue, to delete the ones it no longer names; null for a partial run (--table). */
  pruneIndicators: string[] | null;
}

export async function writeDerived(store: WarehouseStore, input: DerivedInput): Promise<DerivedResult> {
  const { resolution } = input;
  const keep = input.pruneIndicators ? new Set(input.pruneIndicators) : null;
  const stale = keep
    ? (await store.all({ key: 'string' }, 'SELECT key FROM indicator', [], 'indicators')).map((r) => r.key).filter((k) => !keep.has(k))
    : [];
  const sources = [
    ...resolution.resolved.map((r) => ({
      key: r.key, label: r.label, status: 'resolved', tableId: r.tableId, content: r.content, concept: r.concept, ssbLabel: r.label,
      certainty: r.certainty, candidate: r.candidate, tried: resolution.passedOver.get(r.key) ?? null,
    })),
    ...resolution.missing.map((m) => ({
      key: m.key, label: m.label, status: 'missing', tableId: null, content: null, concept: null, ssbLabel: null,
      certainty: null, candidate: null, tried: m.tried,
    })),
  ].sort((a, b) => a.key.localeCompare(b.key));
  const changes = [...input.changes].sort((a, b) => `${a.changeOccurred}${a.oldCode}${a.newCode}`.localeCompare(`${b.changeOccurred}${b.oldCode}${b.newCode}`));
  // Load ids change with every load; the content of the comparison does not.
  const reconciliation = input.reconciliation?.map((r) => ({ ...r, loadId: null })) ?? null;
  const hash = `sha256:${crypto.createHash('sha256').update(JSON.stringify({ sources, changes, reconciliation, stale })).digest('hex')}`;
  const last = (await store.get({ hash: 'string?' }, `SELECT ssb_updated AS hash FROM load WHERE table_id = ? AND status = 'succeeded' ORDER BY id DESC LIMIT 1`, [DERIVED_TABLE_ID], 'last derived load'))?.hash;
  if (last === hash) return { changed: false, pruned: [] };

  const at = input.now().toISOString();
  await store.write(async (tx) => {
    await tx.run('DELETE FROM indicator_source');
    for (const s of sources) {
      await tx.run(`INSERT INTO indicator_source (key, label, status, table_id, content_code, concept_code, ssb_label, certainty, candidate,
        tried, run_id, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [s.key, s.label, s.status, s.tableId, s.content, s.concept, s.ssbLabel, s.certainty, s.candidate, s.tried ? JSON.stringify(s.tried) : null, input.runId, at]);
    }
    if (changes.length) {
      await tx.run('DELETE FROM municipality_change');
      for (const c of changes) {
        await tx.run('INSERT INTO municipality_change (old_code, old_name, new_code, new_name, changed_on) VALUES (?, ?, ?, ?, ?)',
          [c.oldCode, c.oldName, c.newCode, c.newName, c.changeOccurred]);
      }
    }
    for (const r of input.reconciliation ?? []) {
      await tx.run(`INSERT INTO reconciliation (run_id, metric, published, table_id, load_id, checked, agreed, not_computable, tolerance, worst, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [input.runId, r.metric, r.published, r.tableId, r.loadId, r.checked, r.agreed, r.notComputable, r.tolerance, JSON.stringify(r.worst), at]);
    }
    if (stale.length) {
      const marks = stale.map(() => '?').join(',');
      await tx.run(`DELETE FROM fact WHERE indicator_id IN (SELECT id FROM indicator WHERE key IN (${marks}))`, stale);
      await tx.run(`DELETE FROM indicator WHERE key IN (${marks})`, stale);
    }
    await tx.run(`INSERT INTO load (run_id, table_id, source, status, started_at, finished_at, ssb_updated, pid)
      VALUES (?, ?, 'derived', 'succeeded', ?, ?, ?, ?)`, [input.runId, DERIVED_TABLE_ID, at, at, hash, process.pid]);
  });
  return { changed: true, pruned: stale };
}
