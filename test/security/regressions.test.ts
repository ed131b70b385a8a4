/**
 * Issue 9, "no request can crash, stall or bloat the server": each reviewer's reproduction, as it was sent.
 * Each test failed (or killed the process) before its fix.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import Database from 'better-sqlite3';
import { buildSchema, parse, visit, type OperationDefinitionNode } from 'graphql';
import { SCHEMA_FILE } from '../../src/schema/build-schema';
import { analyseDocument, operationCost, MAX_ALIASES, MAX_COMPLEXITY, MAX_EXPANDED_SELECTIONS, MAX_TOKENS, MAX_VARIABLE_DEPTH } from '../../src/graphql/limits';
import { MAX_FILTER_VALUES } from '../../src/graphql/resolvers/fact.resolver';
import { MAX_COLUMNS, MAX_SUBJECTS } from '../../src/services/arguments';
import { createServer, DOCUMENT_CACHE_BYTES, type AppServer } from '../../src/server';
import { ReadPool } from '../../db/store/read-pool';
import { SqliteStore } from '../../db/store/sqlite';
import type { DataSource } from 'typeorm';
import { averageAnnualGrowth, MAX_PERIOD_YEARS, periodAverage } from '../../core/metrics';
import { fragmentBomb } from './fuzz-cases';
import { LEVEL, recordingLogger, loadedYearsPhrase, startLoggedHarness, type LoggedHarness } from './support';

const bærum = '{ municipality: "Bærum" }';

describe('issue 9 reproductions', function () {
  this.timeout(60_000);
  let h: LoggedHarness;
  let loaded: string;
  before(async () => {
    h = await startLoggedHarness();
    loaded = await loadedYearsPhrase(h);
  });
  after(async () => { await h?.close(); });
  afterEach(async () => { expect(await h.healthy(), 'the server is alive after the test').to.equal(true); });

  /** The one error of a refused request: code, message and HTTP status. */
  async function refusal(query: string, variables?: Record<string, unknown>) {
    const res = await h.gql(query, variables);
    expect(res.body.errors, JSON.stringify(res.body).slice(0, 500)).to.have.length(1);
    const [e] = res.body.errors!;
    return { code: e.extensions?.code as string, message: e.message, status: res.status };
  }

  describe('1. year ranges are checked before any list is built', () => {
    it('metricSeries years { from: -2147483648, to: 2147483647 } is BAD_USER_INPUT naming the value and the loaded years', async () => {
      const r = await refusal(`{ metricSeries(metric: "resultatgrad", subjects: [${bærum}], years: { from: -2147483648, to: 2147483647 }) { years } }`);
      expect(r).to.deep.include({ code: 'BAD_USER_INPUT', message: `years: from -2147483648 is not loaded; ${loaded}` });
      const to = await refusal(`{ metricSeries(metric: "resultatgrad", subjects: [${bærum}], years: { from: 2020, to: 2147483647 }) { years } }`);
      expect(to.message).to.equal(`years: to 2147483647 is not loaded; ${loaded}`);
    });

    it('periodAverage and averageAnnualGrowth over huge periods are BAD_USER_INPUT naming the loaded years', async () => {
      const series = (field: string) => `{ metricSeries(metric: "resultatgrad", subjects: [${bærum}], years: { from: 2020, to: 2024 }) { series { ${field} { value } } } }`;
      for (const [field, message] of [
        ['periodAverage(from: 0, to: 2147483647)', `periodAverage: from 0 is not loaded; ${loaded}`],
        ['periodAverage(from: 2020, to: 20000000)', `periodAverage: to 20000000 is not loaded; ${loaded}`],
        ['averageAnnualGrowth(from: 0, to: 2147483647, method: MEAN_OF_YEAR_ON_YEAR)', `averageAnnualGrowth: from 0 is not loaded; ${loaded}`],
        ['changeBetween(from: -2147483648, to: 2024)', `changeBetween: from -2147483648 is not loaded; ${loaded}`],
      ]) {
        expect(await refusal(series(field)), field).to.deep.include({ code: 'BAD_USER_INPUT', message });
      }
    });

    it('the series statements themselves refuse a period longer than MAX_PERIOD_YEARS before listing its years', () => {
      expect(() => periodAverage([], 0, 2147483647)).to.throw(RangeError, `periodAverage: 0–2147483647 spans more than ${MAX_PERIOD_YEARS} years`);
      expect(() => averageAnnualGrowth([], 0, 20000000, { method: 'meanOfYearOnYear' })).to.throw(RangeError, 'averageAnnualGrowth: 0–20000000 spans');
      expect(periodAverage([], 1900, 1900 + MAX_PERIOD_YEARS - 1).reason).to.match(/^no value for 1900 in the series/);
    });
  });

  describe('2. every limit check is linear in the document', () => {
    it('the 23-level fragment bomb (about 1 kB) is a 400 QUERY_TOO_COMPLEX naming the expanded size', async () => {
      const query = fragmentBomb(23);
      expect(query.length).to.be.below(1200);
      const res = await h.gql(query);
      expect(res.status).to.equal(400);
      expect(res.body.errors![0].extensions!.code).to.equal('QUERY_TOO_COMPLEX');
      expect(res.body.errors![0].message).to.match(new RegExp(`^query expands to \\d+ selections with its fragments spread; at most ${MAX_EXPANDED_SELECTIONS} are allowed$`));
    });

    it('the analysis visits each written selection once, however deep the spreads double', () => {
      const document = parse(fragmentBomb(200));
      let written = 0;
      visit(document, { Field() { written++; }, FragmentSpread() { written++; } });
      const facts = analyseDocument(document);
      expect(facts.work).to.equal(written);
      expect(facts.operations[0].shape.selections).to.be.greaterThan(MAX_EXPANDED_SELECTIONS);
    });

    it('aliases inside fragments count once per spread', async () => {
      const aliases = Array.from({ length: 10 }, (_, i) => `a${i}: id`).join(' ');
      const fields = Array.from({ length: 20 }, (_, i) => `m${i}: metrics { ...A }`).join(' ');
      const r = await refusal(`{ ${fields} } fragment A on Metric { ${aliases} }`);
      expect(r).to.deep.equal({ code: 'QUERY_TOO_COMPLEX', status: 400, message: `query uses 220 aliases; at most ${MAX_ALIASES} are allowed` });
    });

    it('depth through a chain of fragments is QUERY_TOO_DEEP (introspection: __Type.ofType nests without end)', async () => {
      const chain = Array.from({ length: 25 }, (_, i) => `fragment T${i} on __Type { name ofType { ...T${i + 1} } }`);
      const r = await refusal(`{ __schema { types { ...T0 } } } ${chain.join(' ')} fragment T25 on __Type { name }`);
      expect(r).to.deep.equal({ code: 'QUERY_TOO_DEEP', status: 400, message: 'query is nested 28 levels deep; at most 20 are allowed' });
    });

    it(`a document of more than ${MAX_TOKENS} tokens is refused by the parser, before validation (brackets nested thousands deep too)`, async () => {
      for (const query of [`{ years ${'__typename '.repeat(MAX_TOKENS)} }`, `{ years ${'a { '.repeat(3000)}${'}'.repeat(3000)} }`]) {
        const r = await refusal(query);
        expect(r).to.deep.include({ code: 'GRAPHQL_PARSE_FAILED', status: 400 });
        // graphql-js 16 spells it "more that"
        expect(r.message).to.match(new RegExp(`^Syntax Error: Document contains more tha[nt] ${MAX_TOKENS} tokens\\. Parsing aborted\\.$`));
      }
    });
  });

  describe('3. nothing is cached per variables', () => {
    /** A full collection, also without --expose-gc (mocha's config does not pass it). */
    const gc = (): (() => void) => {
      v8.setFlagsFromString('--expose-gc');
      return vm.runInNewContext('gc') as () => void;
    };

    it('600 requests over 20 documents, each with 90 kB of unused variables, leave the heap where it was', async () => {
      const collect = gc();
      const documents = Array.from({ length: 20 }, (_, d) => `query Q${d}($m: String!) { metric(id: $m) { id } }`);
      const send = (i: number) => h.gql(documents[i % documents.length], {
        m: 'resultatgrad', pad: Array.from({ length: 90 }, (_, j) => `${i}-${j}-`.padEnd(1000, 'x')),
      });
      for (let i = 0; i < documents.length; i++) expect((await send(i)).body.errors).to.equal(undefined);
      collect();
      const before = process.memoryUsage().heapUsed;
      for (let i = documents.length; i < 600; i++) await send(i);
      collect();
      const grown = process.memoryUsage().heapUsed - before;
      // 580 × 90 kB = 52 MB if the variables were kept
      expect(grown / 2 ** 20, 'MB retained').to.be.below(15);
    });
  });

  describe('5. cost grows with the input', () => {
    let municipalities: string[];
    before(async () => { municipalities = (await h.gql('{ municipalities { key } }')).body.data!.municipalities.map((m: { key: string }) => m.key); });
    const subjects = (n: number) => Array.from({ length: n }, (_, i) => ({ municipality: municipalities[i % municipalities.length] }));

    it(`serviceAreaTable with 400 columns (32 kB) is BAD_USER_INPUT naming the ${MAX_COLUMNS}-column cap`, async () => {
      const columns = Array.from({ length: 400 }, (_, i) => `{ subject: { municipality: "${municipalities[i % municipalities.length]}" }, year: ${2015 + (i % 10)} }`);
      const query = 'query($c: [ServiceAreaColumnInput!]!) { serviceAreaTable(columns: $c) { rows { grouping { label } cells { value sharePct } } totals { value } } }';
      const literal = `{ serviceAreaTable(columns: [${columns.join(',')}]) { totals { value } } }`;
      expect(literal.length).to.be.above(20_000);
      const r = await refusal(query, { c: Array.from({ length: 400 }, (_, i) => ({ subject: { municipality: municipalities[i % municipalities.length] }, year: 2015 + (i % 10) })) });
      expect(r).to.deep.include({ code: 'BAD_USER_INPUT', message: `columns: 400 columns; give 1 to ${MAX_COLUMNS} per table` });
    });

    it('metricSeries is priced by subjects × years, from the variables too', async () => {
      const query = 'query($s: [SubjectInput!]!) { metricSeries(metric: "resultatgrad", subjects: $s, years: { from: 2015, to: 2024 }) { series { subject { name } points { year value rounded changePct } } } }';
      const few = await h.gql(query, { s: subjects(10) });
      expect(few.body.errors).to.equal(undefined);
      const r = await refusal(query, { s: subjects(MAX_SUBJECTS) });
      expect(r.code).to.equal('QUERY_TOO_COMPLEX');
      expect(r.message).to.match(new RegExp(`^query cost \\d+ is over the limit of ${MAX_COMPLEXITY}`));
    });

    it('serviceAreaTable is priced by its columns × their distinct years (each year is computed for every column)', () => {
      const schema = buildSchema(fs.readFileSync(SCHEMA_FILE(), 'utf8'));
      const document = parse('query($c: [ServiceAreaColumnInput!]!) { serviceAreaTable(columns: $c) { totals { value } } }');
      const op = document.definitions[0] as OperationDefinitionNode;
      const cost = (years: number) => operationCost(schema, document, op, { c: Array.from({ length: MAX_COLUMNS }, (_, i) => ({ subject: { municipality: 'Bærum' }, year: 2015 + (i % years) })) });
      expect(cost(10)).to.be.greaterThan(5 * cost(1));
      expect(cost(10)).to.be.below(MAX_COMPLEXITY);
    });

    it('a page of facts is priced by its rows and the fields of each: 1 000 rows with every field are refused, 1 000 light rows answered', async () => {
      const full = 'edges { cursor node { region { code label name } year indicator { key label unit } serviceArea { code label } value status statusMeaning provenance { sourceTable loadId source } } }';
      const r = await refusal(`{ facts(first: 1000) { ${full} } }`);
      expect(r.code).to.equal('QUERY_TOO_COMPLEX');
      expect((await h.gql(`{ facts(first: 500) { ${full} } }`)).body.errors).to.equal(undefined);
      const light = await h.gql('{ facts(first: 1000) { totalCount edges { cursor node { value } } } }');
      expect(light.body.errors).to.equal(undefined);
      expect(light.body.data!.facts.edges).to.have.length(1000);
    });

    it(`more than ${MAX_SUBJECTS} subjects or highlighted municipalities are BAD_USER_INPUT naming the cap`, async () => {
      const many = await refusal('query($s: [SubjectInput!]!) { metricSeries(metric: "resultatgrad", subjects: $s, years: { list: [2024] }) { years } }', { s: subjects(MAX_SUBJECTS + 1) });
      expect(many).to.deep.include({ code: 'BAD_USER_INPUT', message: `subjects: ${MAX_SUBJECTS + 1} subjects; at most ${MAX_SUBJECTS} per request` });
      const highlight = await refusal('query($h: [String!]) { peerComparison(metric: "resultatgrad", peerGroup: "asss-u-oslo", year: 2024, highlight: $h) { year } }', { h: subjects(MAX_SUBJECTS + 1).map((s) => s.municipality) });
      expect(highlight).to.deep.include({ code: 'BAD_USER_INPUT', message: `highlight: ${MAX_SUBJECTS + 1} municipalities; at most ${MAX_SUBJECTS} per request` });
    });
  });

  describe('6. client mistakes are BAD_USER_INPUT or a limit code, with HTTP 400 when refused before running, never logged as errors', () => {
    let from: number;
    beforeEach(() => { from = h.lines.length; });
    afterEach(() => {
      const errors = h.lines.slice(from).filter((l) => l.level >= LEVEL.error);
      expect(errors.map((l) => l.msg), 'error-level log lines').to.deep.equal([]);
    });

    it('averageAnnualGrowth(from: 2024, to: 2020)', async () => {
      const r = await refusal(`{ metricSeries(metric: "skatt", subjects: [${bærum}], years: { from: 2020, to: 2024 }) { series { averageAnnualGrowth(from: 2024, to: 2020) { value } } } }`);
      expect(r).to.deep.include({ code: 'BAD_USER_INPUT', message: 'averageAnnualGrowth: from 2024 must be before to 2020' });
    });

    it('a facts years list of 40 000 entries (more than SQLite\'s 32 766 variables)', async () => {
      const r = await refusal('query($y: [Int!]) { facts(filter: { years: $y }) { totalCount } }', { y: Array.from({ length: 40_000 }, (_, i) => i % 10) });
      expect(r).to.deep.include({ code: 'BAD_USER_INPUT', message: `filter.years: 40000 values; at most ${MAX_FILTER_VALUES} per list` });
    });

    it('variables nested 10 000 levels deep', async () => {
      const nested = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
      const res = await h.raw(`{"query":"query($v: String) { regions(search: $v) { code } }","variables":{"v":${nested}}}`);
      expect(res.status).to.equal(400);
      const [e] = JSON.parse(res.text).errors;
      expect(e.extensions.code).to.equal('BAD_USER_INPUT');
      expect(e.message).to.equal(`variables are nested 10001 levels deep; at most ${MAX_VARIABLE_DEPTH} are allowed`);
    });

    it('a variable of the wrong type', async () => {
      const r = await refusal('query($f: Int!) { facts(first: $f) { totalCount } }', { f: 'x' });
      expect(r.code).to.equal('BAD_USER_INPUT');
      expect(r.status).to.equal(400);
      expect(r.message).to.match(/^Variable "\$f" got invalid value "x"/);
    });

    it('a document expanding past the node limit of the old complexity library (10 000) is QUERY_TOO_COMPLEX', async () => {
      const r = await refusal(fragmentBomb(13));
      expect(r).to.deep.include({ code: 'QUERY_TOO_COMPLEX', status: 400 });
    });
  });

  describe('found by the fuzz suite', () => {
    it('a persisted-query hash that does not match its query is a 400 client error, not an internal one', async () => {
      const res = await h.raw('{"query":"{ years }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"abc"}}}');
      expect(res.status).to.equal(400);
      const [e] = JSON.parse(res.text).errors;
      expect(e).to.deep.equal({ message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } });
    });
  });

  describe('found by the fuzz suite (4)', () => {
    it('800 distinct documents leave the heap within the document cache\'s bound', async () => {
      v8.setFlagsFromString('--expose-gc');
      const collect = vm.runInNewContext('gc') as () => void;
      const aliases = Array.from({ length: MAX_ALIASES }, (_, i) => `a${i}: years`).join(' ');
      const send = (i: number) => h.gql(`query Distinct${i} { ${aliases} }`);
      for (let i = 0; i < 100; i++) await send(i);
      collect();
      const before = process.memoryUsage().heapUsed;
      for (let i = 100; i < 900; i++) await send(i);
      collect();
      const grown = (process.memoryUsage().heapUsed - before) / 2 ** 20;
      // DOCUMENT_CACHE_BYTES of JSON is about four times that in the heap; Apollo's default kept them all
      expect(grown, 'MB retained').to.be.below((4 * DOCUMENT_CACHE_BYTES) / 2 ** 20 + 8);
    });
  });

  describe('found by the fuzz suite (3)', () => {
    it('a GET whose URL is over the 16 kB header limit gets 431 with a GraphQL error body, not an empty answer', async () => {
      const res = await fetch(`${h.url}?query=${encodeURIComponent(`{ years } # ${'x'.repeat(20_000)}`)}`, { headers: { 'apollo-require-preflight': 'true' } });
      expect(res.status).to.equal(431);
      expect(res.headers.get('content-type')).to.match(/^application\/json/);
      expect(await res.json()).to.deep.equal({ errors: [{ message: 'the request line and headers are larger than 16 kB; send long queries in a POST body', extensions: { code: 'BAD_REQUEST' } }] });
    });
  });

  describe('found by the fuzz suite (2)', () => {
    it('an explicit null for a non-null argument with a default, through a nullable variable, is BAD_USER_INPUT', async () => {
      const r = await refusal('query($n: Int) { warehouseStatus(loads: $n) { version } }', { n: null });
      expect(r).to.deep.include({ code: 'BAD_USER_INPUT', message: 'Argument "loads" of non-null type "Int!" must not be null.' });
      const m = await refusal('mutation($f: Boolean) { refreshWarehouse(force: $f) { started } }', { f: null });
      expect(m.code).to.equal('BAD_USER_INPUT');
      expect(h.lines.filter((l) => l.level >= LEVEL.error && /must not be null/.test(String(l.msg)))).to.deep.equal([]);
    });
  });

  describe('4. a database error is caught, logged and its connection discarded', () => {
    let dir: string;
    before(function () {
      // A damaged file and the SQLite read pool: PostgreSQL's own server guards its pages and its connections.
      if (h.warehouse.engine !== 'sqlite') this.skip();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kostra-damaged-'));
    });
    after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

    /** A copy of the demo warehouse with the middle of the fact table's pages overwritten. */
    function damagedCopy(): string {
      h.warehouse.db.pragma('wal_checkpoint(TRUNCATE)');
      const file = path.join(dir, 'damaged.sqlite');
      fs.copyFileSync(h.warehouse.path, file);
      const probe = new Database(file, { readonly: true });
      const pageSize = probe.pragma('page_size', { simple: true }) as number;
      const pages = (probe.prepare("SELECT pageno FROM dbstat WHERE name = 'fact' ORDER BY pageno").pluck().all() as number[]);
      probe.close();
      const fd = fs.openSync(file, 'r+');
      for (const page of pages.slice(5, 400)) fs.writeSync(fd, Buffer.alloc(192, 0xab), 0, 192, (page - 1) * pageSize + 8);
      fs.closeSync(fd);
      return file;
    }

    it('a facts query on a damaged file answers with an error id, logs the cause, and the server goes on', async () => {
      const file = damagedCopy();
      const db = new Database(file, { readonly: true });
      const { log, lines } = recordingLogger();
      let server: AppServer | null = null;
      try {
        // A store over the damaged file (no TypeORM: nothing to migrate on a file that cannot be read).
        server = await createServer({ store: new SqliteStore({ isInitialized: false } as DataSource, db, file), log });
        const url = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
        const post = async (query: string) => {
          const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
          return { status: res.status, body: await res.json() as { errors?: { message: string; extensions: Record<string, unknown> }[] } };
        };
        const res = await post('{ facts(first: 5) { totalCount edges { node { value } } } }');
        expect(res.body.errors![0].message).to.match(/^internal error \(id [0-9a-f]{8}\); the server log has the details$/);
        // the lease is released when the response closes: give that a turn of the event loop
        await new Promise((r) => setTimeout(r, 50));
        expect((await fetch(`${url}/healthz`)).status).to.equal(200);
        const again = await post('{ years }');
        expect(again.body.errors?.[0]?.message ?? '').to.not.match(/SQLITE|malformed/);
        const logged = lines.filter((l) => l.level >= LEVEL.error).map((l) => JSON.stringify(l));
        expect(logged.some((l) => /malformed/.test(l)), logged.join('\n')).to.equal(true);
      } finally {
        await server?.stop();
        db.close();
      }
    });

    it('a lease whose transaction cannot be ended reports the error and is not returned to the pool', () => {
      const errors: unknown[] = [];
      const pool = new ReadPool(h.warehouse.path, 8, (error: unknown) => errors.push(error));
      try {
        const lease = pool.acquire();
        lease.db.close(); // its COMMIT can no longer run
        expect(() => lease.release()).to.not.throw();
        expect(errors).to.have.length(1);
        const next = pool.acquire();
        expect(next.db).to.not.equal(lease.db);
        expect(next.db.open).to.equal(true);
        next.release();
        const reused = pool.acquire();
        expect(reused.db, 'a healthy connection is reused').to.equal(next.db);
        reused.release();
      } finally {
        pool.close();
      }
    });
  });
});
