import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Municipality code changes from Klass classification 131 (renumberings, mergers, splits), kept so the API can tell
 * why a municipality has no figures before a change (a split successor covers another territory) and which codes a
 * code became.
 */
@Entity('municipality_change')
@Index('idx_municipality_change_old', ['oldCode'])
@Index('idx_municipality_change_new', ['newCode'])
export class MunicipalityChangeEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'old_code', type: 'varchar', length: 16 })
  oldCode: string;

  @Column({ name: 'old_name', type: 'varchar', length: 200 })
  oldName: string;

  @Column({ name: 'new_code', type: 'varchar', length: 16 })
  newCode: string;

  @Column({ name: 'new_name', type: 'varchar', length: 200 })
  newName: string;

  /** ISO date, e.g. 2024-01-01. */
  @Column({ name: 'changed_on', type: 'varchar', length: 10 })
  changedOn: string;
}
