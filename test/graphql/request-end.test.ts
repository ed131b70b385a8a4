/**
 * Issue 15: a request's work ends with its answer. The reads are covered over HTTP (security/fuzzer-reproductions);
 * here the computation: facts that arrive after the request ended are not computed on.
 */
import { expect } from 'chai';
import { indexMetrics, shippedMetrics } from '../../core/metrics';
import type { Sql } from '../../db/store';
import { RequestEndedError } from '../../src/errors';
import { MetricService } from '../../src/services/metric.service';
import { createFactLoader } from '../../src/warehouse/fact-loader';
import { WarehouseReader } from '../../src/warehouse/reader';
import { SnapshotCache } from '../../src/warehouse/snapshot';
import { startHarness, type Harness } from './harness';

describe('a metric computation whose request ended while its facts were read', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h?.close(); });

  /** The metric service of a request that ends (when `endDuringRead`) while its fact statement runs. */
  async function compute(endDuringRead: boolean) {
    const lease = await h.warehouse.store.beginRead();
    try {
      const request = new AbortController();
      const sql: Sql = {
        engine: lease.sql.engine,
        binary: (expr) => lease.sql.binary(expr),
        get: (spec, text, params, what) => lease.sql.get(spec, text, params, what),
        run: (text, params) => lease.sql.run(text, params),
        all: async (spec, text, params, what) => {
          const rows = await lease.sql.all(spec, text, params, what);
          if (endDuringRead && /FROM fact/.test(text)) request.abort(new RequestEndedError('a sibling field failed'));
          return rows;
        },
      };
      const snapshot = await new SnapshotCache().current(sql);
      const service = new MetricService(snapshot, createFactLoader(new WarehouseReader(sql, request.signal), snapshot), request.signal);
      const subject = service.municipalitySubject([...snapshot.municipalities.keys()][0])!;
      return await service.compute(indexMetrics(shippedMetrics()).get('resultatgrad')!, [subject], [2024]);
    } finally {
      await lease.release();
    }
  }

  it('computes as usual while the request runs', async () => {
    const values = await compute(false);
    expect([...values.values()][0].get(2024)!.value).to.be.a('number');
  });

  it('stops with the request\'s RequestEndedError instead of computing', async () => {
    let error: unknown;
    try { await compute(true); } catch (e) { error = e; }
    expect(error).to.be.instanceOf(RequestEndedError);
    expect((error as Error).message).to.equal('the request ended (a sibling field failed); its remaining work was stopped');
  });
});
