import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type { RegionKind } from '../../core/municipalities/regions';

export type { RegionKind };

/**
 * Region dimension: one row per SSB region code, historical codes included. A municipality's figures sit under
 * the code valid in each year, so every code of one municipality shares a stable `municipalityKey` (its newest
 * code, built from Klass classification 131 changes).
 */
@Entity('region')
@Index('idx_region_municipality_key', ['municipalityKey'])
export class RegionEntity {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  code: string;

  /** Name without SSB's validity suffix, e.g. "Bærum". */
  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** SSB's label as published, e.g. "Bærum (2020-2023)". */
  @Column({ type: 'varchar', length: 200 })
  label: string;

  @Column({ type: 'varchar', length: 32 })
  kind: RegionKind;

  @Column({ name: 'valid_from', type: 'integer', nullable: true })
  validFrom: number | null;

  @Column({ name: 'valid_to', type: 'integer', nullable: true })
  validTo: number | null;

  @Column({ name: 'municipality_key', type: 'varchar', length: 16, nullable: true })
  municipalityKey: string | null;
}
