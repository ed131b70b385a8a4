import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/**
 * Foreign keys from facts to their dimensions (and from peer-group members to their group), which PostgreSQL
 * enforces across every writer; and the refresh requests table, through which any API replica asks the one worker
 * for a refresh, so a refresh asked of several replicas at once runs once.
 */
const varchar = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });

export const FACT_FOREIGN_KEYS = [
  new TableForeignKey({ name: 'fk_fact_indicator', columnNames: ['indicator_id'], referencedTableName: 'indicator', referencedColumnNames: ['id'] }),
  new TableForeignKey({ name: 'fk_fact_region', columnNames: ['region_code'], referencedTableName: 'region', referencedColumnNames: ['code'] }),
  new TableForeignKey({ name: 'fk_fact_service_area', columnNames: ['service_area_code'], referencedTableName: 'service_area', referencedColumnNames: ['code'] }),
];

export class ForeignKeysRefreshRequests1765100000000 implements MigrationInterface {
  name = 'ForeignKeysRefreshRequests1765100000000';

  public async up(q: QueryRunner): Promise<void> {
    // Facts whose dimension row is missing cannot be answered anyway (the API drops them); remove them so the keys hold.
    await q.query('DELETE FROM fact WHERE indicator_id NOT IN (SELECT id FROM indicator) OR region_code NOT IN (SELECT code FROM region) OR service_area_code NOT IN (SELECT code FROM service_area)');
    await q.query('DELETE FROM peer_group_member WHERE group_id NOT IN (SELECT id FROM peer_group)');
    await q.createForeignKeys('fact', FACT_FOREIGN_KEYS);
    await q.createForeignKey('peer_group_member', new TableForeignKey({
      name: 'fk_peer_group_member_group', columnNames: ['group_id'], referencedTableName: 'peer_group', referencedColumnNames: ['id'], onDelete: 'CASCADE',
    }));
    await q.createTable(new Table({
      name: 'refresh_request',
      columns: [{ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        varchar('reason', 64), varchar('source', 8, true), { name: 'force', type: 'boolean' }, varchar('status', 16),
        varchar('requested_at', 40), varchar('requested_by', 200), varchar('claimed_by', 200, true), varchar('run_id', 64, true),
        varchar('finished_at', 40, true), { name: 'error', type: 'text', isNullable: true }],
      indices: [new TableIndex({ name: 'idx_refresh_request_status', columnNames: ['status', 'id'] })],
    }));
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.dropTable('refresh_request', true);
    await q.dropForeignKey('peer_group_member', 'fk_peer_group_member_group');
    for (const fk of FACT_FOREIGN_KEYS) await q.dropForeignKey('fact', fk.name!);
  }
}
