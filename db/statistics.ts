import type { Sql } from './store';

/**
 * Planner statistics after a load, on either engine. Without them SQLite picks the fact table's primary key for every
 * read and scans tens of thousands of entries where an index finds the few hundred rows asked for (a 640-row page of
 * one municipality: 6 ms instead of 1 ms; its count 3.8 ms instead of 0.05 ms). A full ANALYZE, not a sampled one
 * (`analysis_limit`): with sampled figures the planner still preferred the primary key's order to the region index.
 * PostgreSQL's autovacuum would analyze the changed tables eventually; right after the load is when plans change.
 * Readers are not blocked while it runs and pick the new statistics up with their next statement.
 * Resolves to the time it took, for the run's log.
 */
export async function refreshPlannerStatistics(sql: Sql): Promise<number> {
  const started = process.hrtime.bigint();
  await sql.run('ANALYZE');
  return Number(process.hrtime.bigint() - started) / 1e6;
}
