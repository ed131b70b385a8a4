import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * Facts SSB stopped publishing are removed by the next load (`load.removed` counts them). Run records (one per ETL run, whatever fails), where each indicator was found (candidate sources resolved against
 * SSB's metadata), reconciliation with SSB's published figures, Klass code changes, the selection a table was
 * loaded with, and room for a content hash in `load.ssb_updated` (`sha256:` + 64 hex digits is 71 characters; the
 * first migration's varchar(40) only worked because SQLite ignores lengths).
 */
const varchar = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const integer = (name: string, nullable = false) => ({ name, type: 'integer', isNullable: nullable });
const double = (name: string) => ({ name, type: 'double precision', isNullable: false });
const text = (name: string, nullable = true) => ({ name, type: 'text', isNullable: nullable });
const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };

export class RunsResolutionReconciliation1764900000000 implements MigrationInterface {
  name = 'RunsResolutionReconciliation1764900000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({
      name: 'etl_run',
      columns: [{ ...varchar('id', 64), isPrimary: true }, varchar('source', 8), varchar('reason', 64), varchar('status', 16),
        varchar('started_at', 40), varchar('finished_at', 40, true), integer('pid', true), varchar('host', 200, true), text('error'), text('problems')],
      indices: [new TableIndex({ name: 'idx_etl_run_started', columnNames: ['started_at'] })],
    }));
    await q.createTable(new Table({
      name: 'indicator_source',
      columns: [{ ...varchar('key', 100), isPrimary: true }, varchar('label', 300), varchar('status', 16), varchar('table_id', 16, true),
        varchar('content_code', 64, true), varchar('concept_code', 64, true), varchar('ssb_label', 300, true), varchar('certainty', 8, true),
        integer('candidate', true), text('tried'), varchar('run_id', 64), varchar('checked_at', 40)],
    }));
    await q.createTable(new Table({
      name: 'reconciliation',
      columns: [id, varchar('run_id', 64), varchar('metric', 100), varchar('published', 100), varchar('table_id', 16), integer('load_id', true),
        integer('checked'), integer('agreed'), integer('not_computable'), double('tolerance'), text('worst', false), varchar('created_at', 40)],
      indices: [
        new TableIndex({ name: 'idx_reconciliation_run', columnNames: ['run_id'] }),
        new TableIndex({ name: 'idx_reconciliation_metric', columnNames: ['metric', 'id'] }),
      ],
    }));
    await q.createTable(new Table({
      name: 'municipality_change',
      columns: [id, varchar('old_code', 16), varchar('old_name', 200), varchar('new_code', 16), varchar('new_name', 200), varchar('changed_on', 10)],
      indices: [
        new TableIndex({ name: 'idx_municipality_change_old', columnNames: ['old_code'] }),
        new TableIndex({ name: 'idx_municipality_change_new', columnNames: ['new_code'] }),
      ],
    }));
    await q.addColumn('load', new TableColumn(varchar('selection_hash', 80, true)));
    await q.addColumn('load', new TableColumn({ ...integer('removed'), default: 0 }));
    await q.changeColumn('load', 'ssb_updated', new TableColumn(varchar('ssb_updated', 80, true)));
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.changeColumn('load', 'ssb_updated', new TableColumn(varchar('ssb_updated', 40, true)));
    await q.dropColumn('load', 'removed');
    await q.dropColumn('load', 'selection_hash');
    for (const name of ['municipality_change', 'reconciliation', 'indicator_source', 'etl_run']) await q.dropTable(name, true);
  }
}
