import { Column, Entity, PrimaryColumn } from 'typeorm';

/** At most one ETL process loads at a time: a row here is the lock, taken in the database, not in memory. */
@Entity('etl_lock')
export class EtlLockEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  name: string;

  @Column({ name: 'owner_pid', type: 'integer' })
  ownerPid: number;

  @Column({ name: 'owner_host', type: 'varchar', length: 200 })
  ownerHost: string;

  @Column({ name: 'run_id', type: 'varchar', length: 64 })
  runId: string;

  @Column({ name: 'acquired_at', type: 'varchar', length: 40 })
  acquiredAt: string;

  @Column({ name: 'heartbeat_at', type: 'varchar', length: 40 })
  heartbeatAt: string;
}
