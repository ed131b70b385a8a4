import { Entity, PrimaryColumn } from 'typeorm';

@Entity('year')
export class YearEntity {
  @PrimaryColumn({ type: 'integer' })
  year: number;
}
