/**
 * The API's documented read paths keep good query plans: every statement the server runs for them, captured as it
 * runs, is explained by SQLite against the demo warehouse, and none may scan the fact table. Also: loads leave
 * planner statistics behind (without them the planner picks the primary key for region reads and scans).
 */
import { expect } from 'chai';
import { WarehouseReader } from '../../src/warehouse/reader';
import { example, startHarness, type Harness } from '../graphql/harness';

interface Captured { sql: string; params: unknown[] }

/** The read paths README's "Query plans" documents, each as the GraphQL a client sends. */
const READ_PATHS: Record<string, string> = {
  // A page short of the whole match, so the total is counted (a first page holding every match counts its rows).
  'facts of one municipality, one indicator, ten years, every service area (page and count)':
    '{ facts(filter: { regions: ["Bærum"], indicators: ["netto_driftsutgifter_tjeneste"], yearFrom: 2015, yearTo: 2024 }, first: 100) { totalCount edges { node { value } } } }',
  'facts of one municipality, every indicator':
    '{ facts(filter: { regions: ["3201"] }, first: 1000) { totalCount edges { node { value } } } }',
  'facts of a peer group, two indicators, five years, whole municipality':
    '{ facts(filter: { peerGroup: "asss", indicators: ["bdi", "netto_driftsresultat"], years: [2020, 2021, 2022, 2023, 2024], serviceAreas: ["ALL"] }, first: 1000) { edges { node { region { name } indicator { label } value } } } }',
  'the next page of a municipality\'s facts (cursor)':
    '{ facts(filter: { regions: ["Bærum"], indicators: ["bdi"] }, first: 3, after: "WzEsMjAxNiwiMDIxOSIsIkFMTCJd") { edges { node { value } } } }',
  'facts of one indicator over years, every region':
    '{ facts(filter: { indicators: ["bdi"], yearFrom: 2020, yearTo: 2024 }, first: 1000) { totalCount edges { node { value } } } }',
  'the report\'s ratio series against peer groups and the country (fact slices)': example('02-ratio-series-2020-2024'),
  'the report\'s service-area table (fact slices by area)': example('03-service-area-table'),
};

describe('query plans of the documented read paths', function () {
  this.timeout(60_000);
  let h: Harness;
  let captured: Captured[] = [];
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with the reader as `this` (apply)
  const original = { rows: WarehouseReader.prototype.rows, row: WarehouseReader.prototype.row };

  before(async () => {
    h = await startHarness();
    // Spy on the one place the API's SQL goes through (see src/warehouse/reader.ts), keeping its behaviour.
    WarehouseReader.prototype.rows = function (this: WarehouseReader, ...args: Parameters<WarehouseReader['rows']>) {
      captured.push({ sql: args[1], params: args[2] ?? [] });
      return original.rows.apply(this, args);
    } as WarehouseReader['rows'];
    WarehouseReader.prototype.row = function (this: WarehouseReader, ...args: Parameters<WarehouseReader['row']>) {
      captured.push({ sql: args[1], params: args[2] ?? [] });
      return original.row.apply(this, args);
    } as WarehouseReader['row'];
  });
  after(async () => {
    WarehouseReader.prototype.rows = original.rows;
    WarehouseReader.prototype.row = original.row;
    await h?.close();
  });

  it('a load leaves planner statistics for the fact table and its indexes', () => {
    const stats = h.warehouse.db.prepare("SELECT idx FROM sqlite_stat1 WHERE tbl = 'fact'").pluck().all() as string[];
    expect(stats).to.include('idx_fact_region_indicator');
    expect(stats.some((s) => s.startsWith('sqlite_autoindex_fact'))).to.equal(true, `statistics for the primary key; got ${stats.join(', ')}`);
  });

  for (const [path, query] of Object.entries(READ_PATHS)) {
    it(`${path}: no scan of the fact table`, async () => {
      captured = [];
      const res = await h.gql(query);
      expect(res.body.errors, JSON.stringify(res.body.errors)).to.equal(undefined);
      const factStatements = captured.filter((c) => /\bFROM fact\b/.test(c.sql));
      expect(factStatements.length, 'the path reads facts').to.be.greaterThan(0);
      for (const { sql, params } of factStatements) {
        const plan = (h.warehouse.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
        const scans = plan.filter((d) => /^SCAN (f|fact)\b/.test(d));
        expect(scans, `${sql.replace(/\s+/g, ' ').slice(0, 160)}…\nplan: ${plan.join(' | ')}`).to.deep.equal([]);
        expect(plan.some((d) => /^SEARCH (f|fact)\b/.test(d)), `plan: ${plan.join(' | ')}`).to.equal(true);
      }
    });
  }

  it('a municipality\'s page is found by the region index, and its count from that index alone', async () => {
    captured = [];
    await h.gql(`# not the cached answer of the test above\n${Object.values(READ_PATHS)[0]}`);
    const plans = captured.filter((c) => /\bFROM fact\b/.test(c.sql))
      .map(({ sql, params }) => (h.warehouse.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | '));
    expect(plans).to.have.length(2);
    expect(plans.find((p) => p.includes('COUNT') || p.includes('COVERING'))).to.match(/COVERING INDEX idx_fact_region_indicator \(region_code=\? AND indicator_id=\? AND year>\? AND year<\?\)/);
    expect(plans.every((p) => p.includes('idx_fact_region_indicator')), plans.join('\n')).to.equal(true);
  });

  it('a page that does not select totalCount runs no count', async () => {
    captured = [];
    await h.gql('{ facts(filter: { regions: ["Bærum"], indicators: ["bdi"] }, first: 5) { edges { node { value } } } }');
    expect(captured.filter((c) => /COUNT\(\*\)/.test(c.sql))).to.have.length(0);
    captured = [];
    const res = await h.gql('{ facts(filter: { regions: ["Bærum"], indicators: ["bdi"] }, first: 5) { totalCount edges { node { value } } } }');
    expect(captured.filter((c) => /COUNT\(\*\)/.test(c.sql))).to.have.length(1);
    expect(res.body.data!.facts.totalCount).to.be.greaterThan(5);
  });
});
