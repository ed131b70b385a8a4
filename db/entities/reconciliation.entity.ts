import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One reconciliation check of a run: a metric the warehouse computes recomputed for every region and year where SSB
 * also publishes it, and compared at SSB's precision (half a unit of the last published decimal). How the warehouse
 * proves its conventions on data it did not make.
 */
@Entity('reconciliation')
@Index('idx_reconciliation_run', ['runId'])
@Index('idx_reconciliation_metric', ['metric', 'id'])
export class ReconciliationEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'run_id', type: 'varchar', length: 64 })
  runId: string;

  @Column({ type: 'varchar', length: 100 })
  metric: string;

  /** The indicator holding SSB's published figure. */
  @Column({ type: 'varchar', length: 100 })
  published: string;

  @Column({ name: 'table_id', type: 'varchar', length: 16 })
  tableId: string;

  /** The load of the published figures' table that was checked. */
  @Column({ name: 'load_id', type: 'integer', nullable: true })
  loadId: number | null;

  @Column({ type: 'integer' })
  checked: number;

  @Column({ type: 'integer' })
  agreed: number;

  /** Published figures the warehouse cannot recompute (an input missing), not counted in `checked`. */
  @Column({ name: 'not_computable', type: 'integer' })
  notComputable: number;

  @Column({ type: 'double precision' })
  tolerance: number;

  /** JSON: the worst disagreements, { region, year, published, computed }. */
  @Column({ type: 'text' })
  worst: string;

  @Column({ name: 'created_at', type: 'varchar', length: 40 })
  createdAt: string;
}
