import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An SSB table the catalogue loads, with SSB's `updated` as of the last successful load. */
@Entity('source_table')
export class SourceTableEntity {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  id: string;

  @Column({ type: 'varchar', length: 500 })
  title: string;

  /** SSB's `updated` (ISO UTC) of the data last loaded: the only signal that figures were revised. */
  @Column({ name: 'ssb_updated', type: 'varchar', length: 40, nullable: true })
  ssbUpdated: string | null;

  @Column({ name: 'last_load_id', type: 'integer', nullable: true })
  lastLoadId: number | null;

  @Column({ name: 'last_loaded_at', type: 'varchar', length: 40, nullable: true })
  lastLoadedAt: string | null;

  /** `live` (SSB) or `demo` (the bundled synthetic dataset). */
  @Column({ type: 'varchar', length: 8, nullable: true })
  source: string | null;
}
