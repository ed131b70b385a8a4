import { expect } from 'chai';
import { getNamedType, isEnumType, isScalarType, type GraphQLObjectType } from 'graphql';
import { buildAppSchema } from '../../src/schema/build-schema';
import { startHarness, type Harness } from '../graphql/harness';
import { rowsOf, valueOf } from '../helpers/warehouse';

/** Every field that holds a point in time, by type. */
const TIMESTAMPS: Record<string, string[]> = {
  Load: ['startedAt', 'finishedAt', 'ssbUpdated'],
  SourceTableStatus: ['ssbUpdated', 'lastLoadedAt'],
  Provenance: ['ssbUpdated', 'loadedAt'],
  CuratedSource: ['loadedAt'],
};
const ENUMS: Record<string, [field: string, values: string[]][]> = {
  Subject: [['kind', ['MUNICIPALITY', 'PEER_GROUP', 'REGION']]],
  Metric: [['unit', ['INDEX', 'NOK', 'NOK_1000', 'NOK_PER_INHABITANT', 'PERCENT', 'PERCENTAGE_POINTS', 'PERSONS', 'PER_1000_INHABITANTS']], ['aggregation', ['NONE', 'PER_INHABITANT_RATIO', 'SUM', 'UNWEIGHTED_MEAN', 'WEIGHTED_RATIO']]],
  Load: [['status', ['FAILED', 'INTERRUPTED', 'RUNNING', 'SKIPPED', 'SUCCEEDED']], ['source', ['CURATED', 'DEMO', 'DERIVED', 'LIVE', 'UNKNOWN', 'USER']]],
  SourceTableStatus: [['source', ['CURATED', 'DEMO', 'DERIVED', 'LIVE', 'UNKNOWN', 'USER']]],
  Provenance: [['source', ['CURATED', 'DEMO', 'DERIVED', 'LIVE', 'UNKNOWN', 'USER']]],
  ServiceArea: [['kind', ['FUNCTION', 'GROUP', 'TOTAL']]],
  Region: [['kind', ['COUNTRY', 'COUNTRY_EXCL_OSLO', 'COUNTY', 'KOSTRA_GROUP', 'MUNICIPALITY']]],
};
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('types a client can trust: DateTime and enums', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h?.close(); });

  it('every timestamp field is the DateTime scalar and every fixed vocabulary an enum, in the schema', async () => {
    const schema = await buildAppSchema();
    const field = (type: string, name: string) => getNamedType((schema.getType(type) as GraphQLObjectType).getFields()[name].type);
    for (const [type, fields] of Object.entries(TIMESTAMPS)) {
      for (const name of fields) {
        const t = field(type, name);
        expect(isScalarType(t) && t.name, `${type}.${name}`).to.equal('DateTime');
      }
    }
    for (const [type, fields] of Object.entries(ENUMS)) {
      for (const [name, values] of fields) {
        const t = field(type, name);
        expect(isEnumType(t), `${type}.${name}`).to.equal(true);
        if (isEnumType(t)) expect(t.getValues().map((v) => v.name).sort(), `${type}.${name}`).to.deep.equal(values);
      }
    }
  });

  it('answers timestamps as UTC ISO strings and vocabularies as enum names; a curated load has no SSB time', async () => {
    const res = await h.gql(`{ warehouseStatus { sourceTables { ssbUpdated lastLoadedAt source } recentLoads { tableId status source startedAt finishedAt ssbUpdated }
      curatedInputs { loadedAt } }
      metric(id: "resultatgrad") { unit aggregation }
      serviceAreas { code kind }
      metricSeries(metric: "resultatgrad", subjects: [{ municipality: "Bærum" }, { region: "EAK" }, { peerGroup: "asss-u-oslo" }], years: { list: [2024] }) { series { subject { kind } } }
      facts(filter: { regions: ["Bærum"], indicators: ["bdi"], onlyWithValues: true }, first: 1) { edges { node { provenance { ssbUpdated loadedAt source } } } } }`);
    expect(res.body.errors).to.equal(undefined);
    const d = res.body.data!;
    const [stored] = await rowsOf(h.warehouse.store, 'SELECT started_at AS s FROM load ORDER BY id DESC LIMIT 1');
    expect(d.warehouseStatus.recentLoads[0].startedAt).to.equal(new Date(stored.s).toISOString());
    for (const t of d.warehouseStatus.sourceTables) {
      expect(t.ssbUpdated).to.match(ISO_UTC);
      expect(t.lastLoadedAt).to.match(ISO_UTC);
      expect(t.source).to.equal('DEMO');
    }
    for (const l of d.warehouseStatus.recentLoads) {
      expect(l.startedAt).to.match(ISO_UTC);
      expect(l.status).to.equal('SUCCEEDED');
      expect(l.source).to.equal(l.tableId === 'curated' ? 'CURATED' : l.tableId === 'derived' ? 'DERIVED' : 'DEMO');
      if (l.tableId === 'curated' || l.tableId === 'derived') expect(l.ssbUpdated).to.equal(null);
      else expect(l.ssbUpdated).to.match(ISO_UTC);
    }
    expect(d.warehouseStatus.recentLoads.some((l: any) => l.tableId === 'curated')).to.equal(true);
    // The database keeps the curated files' hash where the API says null.
    expect(await valueOf(h.warehouse.store, "SELECT ssb_updated AS u FROM load WHERE table_id = 'curated'")).to.match(/^sha256:/);
    expect(d.warehouseStatus.curatedInputs[0].loadedAt).to.match(ISO_UTC);
    expect(d.metric).to.deep.equal({ unit: 'PERCENT', aggregation: 'WEIGHTED_RATIO' });
    expect(new Set(d.serviceAreas.map((a: any) => a.kind))).to.deep.equal(new Set(['TOTAL', 'GROUP', 'FUNCTION']));
    expect(d.metricSeries.series.map((s: any) => s.subject.kind)).to.deep.equal(['MUNICIPALITY', 'REGION', 'PEER_GROUP']);
    const provenance = d.facts.edges[0].node.provenance;
    expect(provenance.ssbUpdated).to.match(ISO_UTC);
    expect(provenance.loadedAt).to.match(ISO_UTC);
    expect(provenance.source).to.equal('DEMO');
  });

  it('a stored value outside a vocabulary fails loudly (an internal error with an id), never reaches a client as a string', async () => {
    await h.warehouse.store.run(`INSERT INTO load (run_id, table_id, source, status, started_at, finished_at) VALUES ('t', '12134', 'demo', 'paused', ?, ?)`,
      [new Date().toISOString(), new Date().toISOString()]);
    const res = await h.gql('{ warehouseStatus(loads: 1) { recentLoads { status } } }');
    expect(res.body.errors![0].extensions!.code).to.equal('INTERNAL_SERVER_ERROR');
    expect(res.body.errors![0].message).to.match(/^internal error \(id [0-9a-f]{8}\)/);
    expect(JSON.stringify(res.body.data)).not.to.contain('paused');
  });
});
