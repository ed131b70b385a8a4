import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * An index for the API's read path by region: `facts` filtered by municipality (all its codes), indicator and years
 * — the explorer's most common question — found by (region_code, indicator_id, year) and counted from the index
 * alone. It replaces idx_fact_region (region_code, year), a prefix of it for region-only reads that the planner did
 * not choose for indicator + region reads.
 */
export class FactReadIndex1765600000000 implements MigrationInterface {
  name = 'FactReadIndex1765600000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.dropIndex('fact', 'idx_fact_region');
    await q.createIndex('fact', new TableIndex({ name: 'idx_fact_region_indicator', columnNames: ['region_code', 'indicator_id', 'year', 'service_area_code'] }));
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('fact', 'idx_fact_region_indicator');
    await q.createIndex('fact', new TableIndex({ name: 'idx_fact_region', columnNames: ['region_code', 'year'] }));
  }
}
