import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type RunStatus = 'running' | 'succeeded' | 'partial' | 'failed' | 'interrupted';

/**
 * One record per ETL run (the CLI, the schedule, a requested refresh), written before anything else the run does
 * and finished whatever happens — so a run that failed before any table (SSB unreachable, Klass down, the disk full)
 * still shows, with its cause. The per-table records are in `load`.
 */
@Entity('etl_run')
@Index('idx_etl_run_started', ['startedAt'])
export class EtlRunEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ type: 'varchar', length: 8 })
  source: string;

  /** Why it ran: cli, schedule, api, first start, replace demo data. */
  @Column({ type: 'varchar', length: 64 })
  reason: string;

  @Column({ type: 'varchar', length: 16 })
  status: RunStatus;

  @Column({ name: 'started_at', type: 'varchar', length: 40 })
  startedAt: string;

  @Column({ name: 'finished_at', type: 'varchar', length: 40, nullable: true })
  finishedAt: string | null;

  @Column({ type: 'integer', nullable: true })
  pid: number | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  host: string | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  /** JSON: what the run found wrong without failing (indicators found nowhere, grouping codes missing…). */
  @Column({ type: 'text', nullable: true })
  problems: string | null;
}
