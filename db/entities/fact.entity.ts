import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { IndicatorEntity } from './indicator.entity';
import { RegionEntity } from './region.entity';
import { ServiceAreaEntity } from './service-area.entity';

/**
 * The one fact table: region × year × indicator × service area → value. `value` null with a `status` symbol
 * (SSB: "." not applicable, ".." not available, ":" suppressed, "-" nil) is its own state, never 0.
 * `loadId` is the load that last changed the row. Every fact names an indicator, region and service area that exist
 * (foreign keys; the year is not one: a table may hold years the catalogue's year list does not add).
 */
@Entity('fact')
@ForeignKey(() => IndicatorEntity, ['indicatorId'], ['id'], { name: 'fk_fact_indicator' })
@ForeignKey(() => RegionEntity, ['regionCode'], ['code'], { name: 'fk_fact_region' })
@ForeignKey(() => ServiceAreaEntity, ['serviceAreaCode'], ['code'], { name: 'fk_fact_service_area' })
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
