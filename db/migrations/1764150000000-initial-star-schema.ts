import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * The star schema. Written with TypeORM's Table API rather than raw SQL so the same migration runs on SQLite and
 * on PostgreSQL when a deployment outgrows one file.
 */
const varchar = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const integer = (name: string, nullable = false) => ({ name, type: 'integer', isNullable: nullable });
const double = (name: string, nullable = false) => ({ name, type: 'double precision', isNullable: nullable });
const text = (name: string, nullable = true) => ({ name, type: 'text', isNullable: nullable });
const pk = <T extends object>(column: T) => ({ ...column, isPrimary: true });

export class InitialStarSchema1764150000000 implements MigrationInterface {
  name = 'InitialStarSchema1764150000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'region',
      columns: [pk(varchar('code', 16)), varchar('name', 200), varchar('label', 200), varchar('kind', 32),
        integer('valid_from', true), integer('valid_to', true), varchar('municipality_key', 16, true)],
      indices: [new TableIndex({ name: 'idx_region_municipality_key', columnNames: ['municipality_key'] })],
    }));
    await q.createTable(new Table({ name: 'year', columns: [pk(integer('year'))] }));
    await q.createTable(new Table({
      name: 'indicator',
      columns: [{ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { ...varchar('key', 100), isUnique: true }, varchar('table_id', 16), varchar('content_code', 64),
        varchar('concept_variable', 64, true), varchar('concept_code', 64, true), varchar('label', 300),
        varchar('unit', 100), integer('decimals')],
      indices: [new TableIndex({ name: 'idx_indicator_table', columnNames: ['table_id'] })],
    }));
    await q.createTable(new Table({
      name: 'service_area',
      columns: [pk(varchar('code', 16)), varchar('label', 300), varchar('kind', 16), varchar('grouping_id', 64, true),
        varchar('functions', 500, true)],
    }));
    await q.createTable(new Table({
      name: 'service_area_grouping',
      columns: [pk(varchar('id', 64)), varchar('label', 300), varchar('parent_id', 64, true),
        varchar('need_sector', 64, true), integer('sort_order')],
    }));
    // Primary key order serves the main query pattern: one indicator, some years, many regions.
    await q.createTable(new Table({
      name: 'fact',
      columns: [pk(integer('indicator_id')), pk(integer('year')), pk(varchar('region_code', 16)),
        pk(varchar('service_area_code', 16)), double('value', true), varchar('status', 8, true), integer('load_id')],
      indices: [
        new TableIndex({ name: 'idx_fact_region', columnNames: ['region_code', 'year'] }),
        new TableIndex({ name: 'idx_fact_load', columnNames: ['load_id'] }),
      ],
    }));
    await q.createTable(new Table({
      name: 'source_table',
      columns: [pk(varchar('id', 16)), varchar('title', 500), varchar('ssb_updated', 40, true),
        integer('last_load_id', true), varchar('last_loaded_at', 40, true), varchar('source', 8, true)],
    }));
    await q.createTable(new Table({
      name: 'load',
      columns: [{ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        varchar('run_id', 64), varchar('table_id', 32), varchar('source', 8), varchar('status', 16),
        varchar('started_at', 40), varchar('finished_at', 40, true), varchar('ssb_updated', 40, true),
        { ...integer('requests'), default: 0 }, { ...integer('retries'), default: 0 }, { ...integer('cells'), default: 0 },
        { ...integer('inserted'), default: 0 }, { ...integer('updated'), default: 0 },
        { ...integer('unchanged'), default: 0 }, text('error'), integer('pid', true)],
      indices: [
        new TableIndex({ name: 'idx_load_table', columnNames: ['table_id', 'id'] }),
        new TableIndex({ name: 'idx_load_run', columnNames: ['run_id'] }),
      ],
    }));
    await q.createTable(new Table({
      name: 'peer_group',
      columns: [pk(varchar('id', 64)), varchar('name', 200), text('description'), varchar('ssb_region_code', 16, true),
        { name: 'builtin', type: 'boolean' }],
    }));
    await q.createTable(new Table({
      name: 'peer_group_member',
      columns: [{ name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        varchar('group_id', 64), varchar('municipality_key', 16), integer('from_year', true), integer('to_year', true)],
      indices: [new TableIndex({ name: 'idx_peer_group_member_group', columnNames: ['group_id'] })],
    }));
    await q.createTable(new Table({ name: 'municipality', columns: [pk(varchar('key', 16)), varchar('name', 200)] }));
    await q.createTable(new Table({
      name: 'need_index',
      columns: [pk(varchar('municipality_key', 16)), pk(integer('year')), pk(varchar('sector', 64)), double('value')],
    }));
    await q.createTable(new Table({ name: 'deflator', columns: [pk(integer('year')), double('value')] }));
    await q.createTable(new Table({
      name: 'curated_source',
      columns: [pk(varchar('id', 64)), text('source', false), { name: 'demo', type: 'boolean' }, text('note'),
        varchar('loaded_at', 40)],
    }));
    await q.createTable(new Table({
      name: 'etl_lock',
      columns: [pk(varchar('name', 32)), integer('owner_pid'), varchar('owner_host', 200), varchar('run_id', 64),
        varchar('acquired_at', 40), varchar('heartbeat_at', 40)],
    }));
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const name of ['etl_lock', 'curated_source', 'deflator', 'need_index', 'municipality', 'peer_group_member',
      'peer_group', 'load', 'source_table', 'fact', 'service_area_grouping', 'service_area', 'indicator', 'year', 'region']) {
      await q.dropTable(name, true);
    }
  }
}
