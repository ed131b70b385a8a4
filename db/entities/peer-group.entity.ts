import { Column, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A peer group (sammenligningsgruppe) as data: ASSS u/Oslo ships as a default; users add their own. */
@Entity('peer_group')
export class PeerGroupEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  /** The SSB aggregate that publishes this group's own average, if any (ASSS u/Oslo ≈ EKG12). */
  @Column({ name: 'ssb_region_code', type: 'varchar', length: 16, nullable: true })
  ssbRegionCode: string | null;

  /** Shipped with the product (re-seeded on start) rather than defined by a user. No default: every writer says. */
  @Column({ type: 'boolean' })
  builtin: boolean;
}

/** Membership by stable municipality key, so a member survives code changes; years inclusive, null = open. */
@Entity('peer_group_member')
@ForeignKey(() => PeerGroupEntity, ['groupId'], ['id'], { name: 'fk_peer_group_member_group', onDelete: 'CASCADE' })
@Index('idx_peer_group_member_group', ['groupId'])
export class PeerGroupMemberEntity {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'group_id', type: 'varchar', length: 64 })
  groupId: string;

  @Column({ name: 'municipality_key', type: 'varchar', length: 16 })
  municipalityKey: string;

  @Column({ name: 'from_year', type: 'integer', nullable: true })
  fromYear: number | null;

  @Column({ name: 'to_year', type: 'integer', nullable: true })
  toYear: number | null;
}
