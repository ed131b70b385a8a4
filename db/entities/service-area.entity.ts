import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ServiceAreaKind = 'total' | 'group' | 'function';

/**
 * Service-area dimension (tjenesteområde): SSB's FGK groups and single KOSTRA functions of table 12362, plus
 * `ALL` for facts of tables that are not split by function. `grouping` is the analysts' report grouping.
 */
@Entity('service_area')
export class ServiceAreaEntity {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  code: string;

  @Column({ type: 'varchar', length: 300 })
  label: string;

  @Column({ type: 'varchar', length: 16 })
  kind: ServiceAreaKind;

  @Column({ name: 'grouping_id', type: 'varchar', length: 64, nullable: true })
  groupingId: string | null;

  /** Functions an FGK group contains, comma-separated (documentation; SSB computes the group values). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  functions: string | null;
}

/** The analysts' grouping of service areas (the report's rows), with the need-index sector that corrects it. */
@Entity('service_area_grouping')
export class ServiceAreaGroupingEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ type: 'varchar', length: 300 })
  label: string;

  @Column({ name: 'parent_id', type: 'varchar', length: 64, nullable: true })
  parentId: string | null;

  @Column({ name: 'need_sector', type: 'varchar', length: 64, nullable: true })
  needSector: string | null;

  @Column({ name: 'sort_order', type: 'integer' })
  sortOrder: number;
}
