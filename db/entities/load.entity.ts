import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type LoadStatus = 'running' | 'succeeded' | 'skipped' | 'failed' | 'interrupted';

/**
 * One load record per table per ETL run (dlt's `_dlt_loads` idea). Written as `running` before any request,
 * finished in the same transaction as the merge, so a record says `succeeded` only when its facts committed.
 */
@Entity('load')
@Index('idx_load_table', ['tableId', 'id'])
@Index('idx_load_run', ['runId'])
export class LoadEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'run_id', type: 'varchar', length: 64 })
  runId: string;

  @Column({ name: 'table_id', type: 'varchar', length: 32 })
  tableId: string;

  @Column({ type: 'varchar', length: 8 })
  source: string;

  @Column({ type: 'varchar', length: 16 })
  status: LoadStatus;

  @Column({ name: 'started_at', type: 'varchar', length: 40 })
  startedAt: string;

  @Column({ name: 'finished_at', type: 'varchar', length: 40, nullable: true })
  finishedAt: string | null;

  /** SSB's `updated` of the table (or, for curated inputs and derived records, a content hash). */
  @Column({ name: 'ssb_updated', type: 'varchar', length: 80, nullable: true })
  ssbUpdated: string | null;

  /** Hash of what was asked for (indicators, codes, years): a table is skipped only when this and `updated` are unchanged. */
  @Column({ name: 'selection_hash', type: 'varchar', length: 80, nullable: true })
  selectionHash: string | null;

  @Column({ type: 'integer', default: 0 })
  requests: number;

  @Column({ type: 'integer', default: 0 })
  retries: number;

  @Column({ type: 'integer', default: 0 })
  cells: number;

  @Column({ type: 'integer', default: 0 })
  inserted: number;

  @Column({ type: 'integer', default: 0 })
  updated: number;

  @Column({ type: 'integer', default: 0 })
  unchanged: number;

  /** Facts of the table's indicators that SSB no longer publishes (a code, year or service area gone), deleted. */
  @Column({ type: 'integer', default: 0 })
  removed: number;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ type: 'integer', nullable: true })
  pid: number | null;
}
