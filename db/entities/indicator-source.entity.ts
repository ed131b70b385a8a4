import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Where each indicator of the source catalogue was found in the last run that resolved the catalogue: the table and
 * codes chosen among its candidates, or — when no candidate matched — what each one said. The API names a missing
 * indicator's problem in the reason of every metric that needs it.
 */
@Entity('indicator_source')
export class IndicatorSourceEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  key: string;

  /** The catalogue's label for the concept. */
  @Column({ type: 'varchar', length: 300 })
  label: string;

  /** resolved | missing */
  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ name: 'table_id', type: 'varchar', length: 16, nullable: true })
  tableId: string | null;

  @Column({ name: 'content_code', type: 'varchar', length: 64, nullable: true })
  contentCode: string | null;

  @Column({ name: 'concept_code', type: 'varchar', length: 64, nullable: true })
  conceptCode: string | null;

  /** SSB's label in the chosen table. */
  @Column({ name: 'ssb_label', type: 'varchar', length: 300, nullable: true })
  ssbLabel: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  certainty: string | null;

  /** Position of the chosen candidate (0 = preferred). */
  @Column({ type: 'integer', nullable: true })
  candidate: number | null;

  /** JSON list of { table, content, concept, problem } for the candidates passed over (all of them when missing). */
  @Column({ type: 'text', nullable: true })
  tried: string | null;

  @Column({ name: 'run_id', type: 'varchar', length: 64 })
  runId: string;

  @Column({ name: 'checked_at', type: 'varchar', length: 40 })
  checkedAt: string;
}
