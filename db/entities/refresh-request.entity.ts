import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type RefreshRequestStatus = 'pending' | 'running' | 'done' | 'failed';

/**
 * A refresh asked for through the API (`refreshWarehouse`) of any replica. The process that runs refreshes (the
 * worker, or `npm start`) claims pending requests under the ETL lock, so requests made of several replicas at once
 * become one run.
 */
@Entity('refresh_request')
@Index('idx_refresh_request_status', ['status', 'id'])
export class RefreshRequestEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 64 })
  reason: string;

  /** live | demo; null = the worker's configured source. */
  @Column({ type: 'varchar', length: 8, nullable: true })
  source: string | null;

  @Column({ type: 'boolean' })
  force: boolean;

  @Column({ type: 'varchar', length: 16 })
  status: RefreshRequestStatus;

  @Column({ name: 'requested_at', type: 'varchar', length: 40 })
  requestedAt: string;

  /** host:pid of the replica that took the request. */
  @Column({ name: 'requested_by', type: 'varchar', length: 200 })
  requestedBy: string;

  @Column({ name: 'claimed_by', type: 'varchar', length: 200, nullable: true })
  claimedBy: string | null;

  @Column({ name: 'run_id', type: 'varchar', length: 64, nullable: true })
  runId: string | null;

  @Column({ name: 'finished_at', type: 'varchar', length: 40, nullable: true })
  finishedAt: string | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;
}
