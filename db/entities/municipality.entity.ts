import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A municipality across code changes: its stable key is its newest code. */
@Entity('municipality')
export class MunicipalityEntity {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  key: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;
}
