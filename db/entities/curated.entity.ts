import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Expenditure-need index (utgiftsbehovsindeks, national average = 1.00) per municipality, year and sector, from
 * the government's income system — not published by SSB, so loaded from a curated input file.
 */
@Entity('need_index')
export class NeedIndexEntity {
  @PrimaryColumn({ name: 'municipality_key', type: 'varchar', length: 16 })
  municipalityKey: string;

  @PrimaryColumn({ type: 'integer' })
  year: number;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  sector: string;

  @Column({ type: 'double precision' })
  value: number;
}

/** The kommunal deflator: yearly growth rate of municipal costs (≈ 60 % wages, 40 % prices). */
@Entity('deflator')
export class DeflatorEntity {
  @PrimaryColumn({ type: 'integer' })
  year: number;

  @Column({ type: 'double precision' })
  value: number;
}

/** Where each curated input came from, and whether it is demo data. */
@Entity('curated_source')
export class CuratedSourceEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ type: 'text' })
  source: string;

  @Column({ type: 'boolean' })
  demo: boolean;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'loaded_at', type: 'varchar', length: 40 })
  loadedAt: string;
}
