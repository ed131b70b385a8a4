import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Indicator dimension: one measurable quantity of one SSB table — a content code, optionally narrowed by an
 * accounting concept (KOKartkap0000) or art (KOKart0000). `key` is the catalogue's stable name (e.g. `bdi`).
 */
@Entity('indicator')
@Index('idx_indicator_table', ['tableId'])
export class IndicatorEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 100, unique: true })
  key: string;

  @Column({ name: 'table_id', type: 'varchar', length: 16 })
  tableId: string;

  @Column({ name: 'content_code', type: 'varchar', length: 64 })
  contentCode: string;

  @Column({ name: 'concept_variable', type: 'varchar', length: 64, nullable: true })
  conceptVariable: string | null;

  @Column({ name: 'concept_code', type: 'varchar', length: 64, nullable: true })
  conceptCode: string | null;

  @Column({ type: 'varchar', length: 300 })
  label: string;

  @Column({ type: 'varchar', length: 100 })
  unit: string;

  @Column({ type: 'integer' })
  decimals: number;
}
