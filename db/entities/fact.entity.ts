import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The one fact table: region × year × indicator × service area → value. `value` null with a `status` symbol
 * (SSB: "." not applicable, ".." not available, ":" suppressed, "-" nil) is its own state, never 0.
 * `loadId` is the load that last changed the row.
 */
@Entity('fact')
@Index('idx_fact_region_indicator', ['regionCode', 'indicatorId', 'year', 'serviceAreaCode'])
@Index('idx_fact_load', ['loadId'])
export class FactEntity {
  @PrimaryColumn({ name: 'indicator_id', type: 'integer' })
  indicatorId: number;

  @PrimaryColumn({ type: 'integer' })
  year: number;

  @PrimaryColumn({ name: 'region_code', type: 'varchar', length: 16 })
  regionCode: string;

  @PrimaryColumn({ name: 'service_area_code', type: 'varchar', length: 16 })
  serviceAreaCode: string;

  @Column({ type: 'double precision', nullable: true })
  value: number | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  status: string | null;

  @Column({ name: 'load_id', type: 'integer' })
  loadId: number;
}
