import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { expect } from 'chai';
import { getIntrospectionQuery, parse } from 'graphql';
import { MAX_COMPILED_QUERY_CHARS, OperationExecutor } from '../../src/graphql/executor';
import { MAX_ALIASES } from '../../src/graphql/limits';
import { DOCUMENT_CACHE_BYTES } from '../../src/server';
import { buildAppSchema } from '../../src/schema/build-schema';
import { projectRoot } from '../../core/paths';
import { COLD_WARM_QUERIES } from '../bench/cold-warm';
import { extraServer, type ExtraServer } from '../http/helpers';
import { ADMIN_TOKEN, startHarness, type Harness } from './harness';

/** `compiles: false`: graphql-jit refuses to compile it, and graphql-js answers. */
interface Operation { name: string; query: string; operationName?: string; compiles?: false; variables?: Record<string, unknown>; headers?: Record<string, string> }

const examplesDir = path.join(projectRoot(), 'schema', 'examples');
const examples: Operation[] = fs.readdirSync(examplesDir).filter((f) => f.endsWith('.graphql')).sort().map((file) => {
  const variablesFile = path.join(examplesDir, file.replace(/\.graphql$/, '.variables.json'));
  return {
    name: `example ${file}`, query: fs.readFileSync(path.join(examplesDir, file), 'utf8'),
    ...(fs.existsSync(variablesFile) ? { variables: JSON.parse(fs.readFileSync(variablesFile, 'utf8')) as Record<string, unknown> } : {}),
  };
});

const FACT_PAGE = `query($first: Int!, $after: String, $withCount: Boolean!, $noCursor: Boolean!) {
  facts(filter: { regions: ["Bærum"], indicators: ["bdi", "netto_driftsresultat"], yearFrom: 2019, yearTo: 2024, onlyWithValues: true }, first: $first, after: $after) {
    total: totalCount @include(if: $withCount)
    pageInfo { hasNextPage endCursor }
    edges { cursor @skip(if: $noCursor) node { ...cell provenance { sourceTable ssbUpdated loadId loadedAt source } } }
  }
}
fragment cell on Fact { __typename region { code name kind } year indicator { key label unit } unit serviceArea { code label kind functions groupingId } value status statusMeaning }`;

/** Answers, errors and edge cases graphql-jit might get wrong; each is asked of both executors. */
const operations: Operation[] = [
  ...examples,
  ...Object.entries(COLD_WARM_QUERIES).map(([name, { query }]) => ({ name, query })),
  { name: 'a fact page with fragments, aliases, @include and @skip', query: FACT_PAGE, variables: { first: 7, withCount: true, noCursor: false } },
  { name: 'the same without the count and cursors', query: FACT_PAGE, variables: { first: 7, withCount: false, noCursor: true } },
  { name: 'introspection', query: getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }) },
  { name: 'one of two named operations', query: 'query A { __typename } query B { peerGroups { id name } }', operationName: 'B' },
  { name: 'an operation name the document lacks', query: 'query A { years }', operationName: 'B', compiles: false },
  { name: 'an unknown municipality (BAD_USER_INPUT, with path)', query: '{ ok: __typename metricSeries(metric: "resultatgrad", subjects: [{ municipality: "Bærumm" }], years: { list: [2024] }) { years } }' },
  { name: 'a page too large', query: '{ facts(first: 5000) { totalCount } }' },
  { name: 'a cursor not from this API', query: '{ facts(first: 1, after: "bm90IGEgY3Vyc29y") { totalCount } }' },
  { name: 'a variable of the wrong type (400)', query: 'query($n: Int!) { facts(first: $n) { totalCount } }', variables: { n: 'ten' } },
  { name: 'a missing variable (400)', query: 'query($n: Int!) { facts(first: $n) { totalCount } }' },
  { name: 'null through a nullable variable for a non-null argument with a default', query: 'query($n: Int) { facts(first: $n) { totalCount } }', variables: { n: null } },
  { name: 'a list variable given one value', query: 'query($r: [String!]) { facts(filter: { regions: $r, indicators: ["bdi"], yearFrom: 2024 }, first: 3) { edges { node { region { code } value } } } }', variables: { r: 'Asker' } },
  { name: 'an input object variable with a field of the wrong type', query: 'query($f: FactFilter!) { facts(filter: $f, first: 1) { totalCount } }', variables: { f: { regions: ['Asker'], onlyWithValues: 'yes' } } },
  { name: 'a mutation without the token (UNAUTHENTICATED)', query: 'mutation { refreshWarehouse { started } }' },
  { name: 'a mutation with the token that changes nothing', query: 'mutation { deletePeerGroup(id: "no-such-group") }', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } },
];

/** What a client sees of an answer; error ids are random per answer. */
async function ask(base: string, op: Operation): Promise<unknown> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...op.headers }, body: JSON.stringify({ query: op.query, variables: op.variables, operationName: op.operationName }),
  });
  const text = (await res.text()).replace(/"errorId":"[0-9a-f]+"/g, '"errorId":"…"').replace(/\(id [0-9a-f]+\)/g, '(id …)');
  return { status: res.status, cacheControl: res.headers.get('cache-control'), statements: res.headers.get('x-sql-statements'), body: JSON.parse(text) as unknown };
}

describe('graphql-jit executes operations exactly as graphql-js', function () {
  this.timeout(120_000);
  let h: Harness;
  let jit: ExtraServer;
  let js: ExtraServer;
  before(async () => {
    h = await startHarness();
    // Caches off: every answer is computed by its executor, none served from the response cache.
    jit = await extraServer(h, { caches: false, adminToken: ADMIN_TOKEN });
    js = await extraServer(h, { caches: false, adminToken: ADMIN_TOKEN, executor: 'graphql-js' });
  });
  after(async () => {
    await jit?.close();
    await js?.close();
    await h?.close();
  });

  it('graphql-jit compiles every operation here it can run, when seen the second time', async () => {
    const executor = new OperationExecutor(await buildAppSchema());
    const prepare = (op: Operation, i: number) => executor.prepare({ document: parse(op.query), documentKey: String(i), operationName: op.operationName });
    // Seen once: graphql-js runs it; seen again, it is compiled.
    expect(operations.map(prepare)).to.deep.equal(operations.map(() => 'graphql-js'));
    expect(operations.map(prepare)).to.deep.equal(operations.map((op) => (op.compiles === false ? 'graphql-js' : 'graphql-jit')));
    expect(executor.fellBack).to.equal(operations.filter((op) => op.compiles === false).length);
  });

  for (const op of operations) {
    it(`${op.name}: the same status, headers, data, errors and extensions`, async () => {
      const expected = await ask(js.base, op);
      // Every operation here reaches the executor: none is refused before (a typo in this list would test nothing).
      expect(JSON.stringify(expected)).to.not.match(/GRAPHQL_(VALIDATION|PARSE)_FAILED/);
      expect(await ask(jit.base, op)).to.deep.equal(expected);
      // Asked again it is compiled, and then the compiled operation is reused.
      expect(await ask(jit.base, op)).to.deep.equal(expected);
      expect(await ask(jit.base, op)).to.deep.equal(expected);
    });
  }

  it('600 distinct documents, each sent twice (so compiled), leave the heap within the caches\' bounds', async () => {
    v8.setFlagsFromString('--expose-gc');
    const collect = vm.runInNewContext('gc') as () => void;
    const aliases = Array.from({ length: MAX_ALIASES }, (_, i) => `a${i}: __schema { queryType { name } }`).join(' ');
    const send = async (i: number) => {
      for (let k = 0; k < 2; k++) expect((await ask(jit.base, { name: 'distinct', query: `query Distinct${i} { ${aliases} }` }) as { status: number }).status).to.equal(200);
    };
    for (let i = 0; i < 100; i++) await send(i);
    collect();
    const before = process.memoryUsage().heapUsed;
    for (let i = 100; i < 700; i++) await send(i);
    collect();
    const grown = (process.memoryUsage().heapUsed - before) / 2 ** 20;
    // Parsed documents: about 4 × their JSON bound; compiled operations: about 130 bytes per query character (150 here).
    // With the count bound alone, 200 compiled documents like these held 48 MB (5 MB with both bounds).
    expect(grown, 'MB retained').to.be.below((4 * DOCUMENT_CACHE_BYTES + 150 * MAX_COMPILED_QUERY_CHARS) / 2 ** 20 + 8);
  });

  it('the second page from a cursor is the same', async () => {
    const first = await ask(js.base, { name: 'page 1', query: FACT_PAGE, variables: { first: 5, withCount: false, noCursor: false } }) as { body: { data: { facts: { pageInfo: { endCursor: string } } } } };
    const op = { name: 'page 2', query: FACT_PAGE, variables: { first: 5, after: first.body.data.facts.pageInfo.endCursor, withCount: true, noCursor: false } };
    const expected = await ask(js.base, op);
    for (let i = 0; i < 3; i++) expect(await ask(jit.base, op)).to.deep.equal(expected);
  });
});
