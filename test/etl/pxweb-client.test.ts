import { expect } from 'chai';
import { MAX_GET_URL_LENGTH, PxWebClient, buildDataGetUrl, encodeGetValue, type PxWebClientOptions } from '../../etl/pxweb/client';
import { InvalidSelectionError, SsbApiError } from '../../etl/pxweb/errors';
import { RetriesExhaustedError } from '../../etl/pxweb/retry';
import type { DataSelectionBody, JsonStat2Dataset } from '../../etl/pxweb/types';
import { FakeClock } from '../helpers/fake-clock';
import { readFixture } from '../helpers/fixtures';
import { sendJson, sendProblem, sendTruncated, startLocalServer, type Handler, type LocalServer } from '../helpers/local-server';

const oslo = () => readFixture<JsonStat2Dataset>('pxwebapi-v2/12362_oslo_2024_data.json');
const osloQuery = () => readFixture<DataSelectionBody>('pxwebapi-v2/12362_oslo_2024_query.json');

const smallBody: DataSelectionBody = {
  selection: [
    { variableCode: 'KOKkommuneregion0000', valueCodes: ['0301'], codelist: 'agg_KOGkommuneregion000005402' },
    { variableCode: 'KOKfunksjon0000', valueCodes: ['FGK12', 'FGK13'] },
    { variableCode: 'ContentsCode', valueCodes: ['KOSandel3501'] },
    { variableCode: 'Tid', valueCodes: ['range(2020,2024)'] },
  ],
};

/** 400 four-digit region codes: a GET URL far over 2 000 characters. */
const bigBody: DataSelectionBody = {
  selection: [
    { variableCode: 'KOKkommuneregion0000', valueCodes: Array.from({ length: 400 }, (_, i) => String(1000 + i)) },
    { variableCode: 'ContentsCode', valueCodes: ['KOSandel3501'] },
    { variableCode: 'Tid', valueCodes: ['2024'] },
  ],
};

describe('pxweb client', () => {
  let server: LocalServer | undefined;
  let clock: FakeClock;

  /** A client against a fresh local server; waits are fake (instant), HTTP timeouts are real. */
  async function setup(handler: Handler, options: Partial<PxWebClientOptions> = {}): Promise<PxWebClient> {
    server = await startLocalServer(handler);
    clock = new FakeClock({ autoAdvance: true, start: Date.now() });
    return new PxWebClient({ baseUrl: `${server.origin}/api/pxwebapi/v2`, clock, random: () => 0.5, timeoutMs: 2000, ...options });
  }

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  describe('URL building', () => {
    it('builds the GET URL with literal brackets, comma-separated codes and a bracketed range expression', () => {
      expect(buildDataGetUrl('https://data.ssb.no/api/pxwebapi/v2', '12362', smallBody)).to.equal(
        'https://data.ssb.no/api/pxwebapi/v2/tables/12362/data?lang=no&outputFormat=json-stat2' +
          '&valueCodes[KOKkommuneregion0000]=0301&codelist[KOKkommuneregion0000]=agg_KOGkommuneregion000005402' +
          '&valueCodes[KOKfunksjon0000]=FGK12,FGK13&valueCodes[ContentsCode]=KOSandel3501&valueCodes[Tid]=[range(2020,2024)]',
      );
    });

    it('turns placement into heading and stub parameters', () => {
      const url = buildDataGetUrl('https://x/v2/', '12362', osloQuery(), 'en');
      expect(url).to.match(/^https:\/\/x\/v2\/tables\/12362\/data\?lang=en&outputFormat=json-stat2&/);
      expect(url).to.contain('&heading=Tid,KOKkommuneregion0000,ContentsCode,KOKfunksjon0000&stub=KOKart0000');
      expect(url).to.not.match(/outputFormatParams|outputValues/i);
    });

    it('percent-encodes codes but keeps wildcards, parentheses and the bracket form', () => {
      expect(['0-9', 'vs_CKM021år', '*', 'top(3)', 'from(2020)', 'range(2020,2024)', '[range(2020,2024)]', 'a&b'].map(encodeGetValue)).to.deep.equal([
        '0-9',
        'vs_CKM021%C3%A5r',
        '*',
        'top(3)',
        'from(2020)',
        '[range(2020,2024)]',
        '[range(2020,2024)]',
        'a%26b',
      ]);
    });

    it('plans GET up to 2 000 characters and POST above, with the selection in the body', () => {
      const client = new PxWebClient({ baseUrl: 'https://data.ssb.no/api/pxwebapi/v2' });
      expect(client.planDataRequest('12362', smallBody).method).to.equal('GET');
      const post = client.planDataRequest('12362', bigBody);
      expect(post).to.deep.equal({
        method: 'POST',
        url: 'https://data.ssb.no/api/pxwebapi/v2/tables/12362/data?lang=no&outputFormat=json-stat2',
        body: bigBody,
      });
      expect(MAX_GET_URL_LENGTH).to.equal(2000);
    });

    it('switches at exactly the length limit', () => {
      const url = buildDataGetUrl('https://h/v2', '1', smallBody);
      const atLimit = new PxWebClient({ baseUrl: 'https://h/v2', maxGetUrlLength: url.length });
      const belowLimit = new PxWebClient({ baseUrl: 'https://h/v2', maxGetUrlLength: url.length - 1 });
      expect(atLimit.planDataRequest('1', smallBody).method).to.equal('GET');
      expect(belowLimit.planDataRequest('1', smallBody).method).to.equal('POST');
    });

  });

  describe('data over the wire', () => {
    it('sends a short selection as GET and returns the validated dataset', async () => {
      const client = await setup((_req, res) => sendJson(res, 200, oslo()));
      const ds = await client.data('12362', smallBody);
      expect(ds.value[1]).to.equal(2.3);
      expect(server!.requests).to.have.length(1);
      const req = server!.requests[0];
      expect(req.method).to.equal('GET');
      expect(req.url).to.equal(
        '/api/pxwebapi/v2/tables/12362/data?lang=no&outputFormat=json-stat2' +
          '&valueCodes[KOKkommuneregion0000]=0301&codelist[KOKkommuneregion0000]=agg_KOGkommuneregion000005402' +
          '&valueCodes[KOKfunksjon0000]=FGK12,FGK13&valueCodes[ContentsCode]=KOSandel3501&valueCodes[Tid]=[range(2020,2024)]',
      );
      expect(client.stats()).to.deep.equal({ requests: 1, retries: 0, dataRequests: 1 });
    });

    it('sends a long selection as POST with the JSON body and only lang and outputFormat in the query', async () => {
      const client = await setup((_req, res) => sendJson(res, 200, oslo()));
      await client.data('12362', bigBody);
      const req = server!.requests[0];
      expect(req.method).to.equal('POST');
      expect(req.url).to.equal('/api/pxwebapi/v2/tables/12362/data?lang=no&outputFormat=json-stat2');
      expect(req.headers['content-type']).to.equal('application/json');
      expect(JSON.parse(req.body)).to.deep.equal(bigBody);
    });

    it('refuses a selection with a repeated code before sending anything', async () => {
      const client = await setup((_req, res) => sendJson(res, 200, oslo()));
      const body: DataSelectionBody = { selection: [{ variableCode: 'Tid', valueCodes: ['2023', '2024', '2023'] }] };
      const err = await client.data('12362', body).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(InvalidSelectionError);
      expect((err as Error).message).to.equal(
        'Selection for table 12362 repeats value code "2023" of Tid: SSB answers 500 with an empty body for repeated codes; de-duplicate first (planRequests does)',
      );
      expect(server!.requests).to.have.length(0);
    });
  });

  describe('errors and retries', () => {
    it('fails fast on a 400 problem, with its title in the message', async () => {
      const client = await setup((_req, res) => sendProblem(res, 400, 'Too many cells selected'));
      const err = (await client.data('12362', bigBody).catch((e: unknown) => e)) as SsbApiError;
      expect(err).to.be.instanceOf(SsbApiError);
      expect(err.status).to.equal(400);
      expect(err.title).to.equal('Too many cells selected');
      expect(err.transient).to.equal(false);
      expect(err.message).to.equal(
        'SSB answered 400 "Too many cells selected" for POST /tables/12362/data: the request planner should have split this selection; check maxDataCells',
      );
      expect(server!.requests).to.have.length(1);
      expect(client.stats()).to.deep.equal({ requests: 1, retries: 0, dataRequests: 0 });
    });

    it('fails fast on "Non-existent table" for table()', async () => {
      const client = await setup((_req, res) => sendProblem(res, 404, 'Non-existent table'));
      const err = (await client.table('99999').catch((e: unknown) => e)) as SsbApiError;
      expect(err.message).to.equal('SSB answered 404 "Non-existent table" for GET /tables/99999: check the table id in core/source-catalogue');
      expect(server!.requests).to.have.length(1);
    });

    it('waits Retry-After after a 429, for every caller, then retries', async () => {
      const client = await setup((_req, res, i) =>
        i === 0 ? sendProblem(res, 429, 'Too many requests', { 'retry-after': '7' }) : sendJson(res, 200, oslo()),
      );
      await client.data('12362', smallBody);
      expect(server!.requests).to.have.length(2);
      expect(clock.sleeps).to.include(7000);
      expect(client.stats()).to.deep.equal({ requests: 2, retries: 1, dataRequests: 1 });
    });

    it('retries a body cut off mid-stream', async () => {
      const client = await setup((_req, res, i) => (i === 0 ? sendTruncated(res, oslo(), 300) : sendJson(res, 200, oslo())));
      const ds = await client.data('12362', smallBody);
      expect(ds.value).to.have.length(8);
      expect(client.stats()).to.deep.equal({ requests: 2, retries: 1, dataRequests: 1 });
    });

    it('retries a complete answer whose JSON is truncated', async () => {
      const client = await setup((_req, res, i) => sendJson(res, 200, i === 0 ? JSON.stringify(oslo()).slice(0, 500) : oslo()));
      await client.data('12362', smallBody);
      expect(client.stats().retries).to.equal(1);
    });

    it('retries an inconsistent json-stat2 answer, then fails with the decoder message', async () => {
      const bad = oslo();
      bad.value.pop();
      const client = await setup((_req, res) => sendJson(res, 200, bad), { maxRetries: 2 });
      const err = (await client.data('12362', smallBody).catch((e: unknown) => e)) as RetriesExhaustedError;
      expect(err).to.be.instanceOf(RetriesExhaustedError);
      expect(err.attempts).to.equal(3);
      const cause = err.cause as SsbApiError;
      expect(cause.kind).to.equal('invalid-body');
      expect(cause.message).to.equal(
        'SSB answered 200 for GET /tables/12362/data with an unexpected body: JSON-stat: value has 7 entries but size gives 8 cells (1 × 8 × 1 × 1 × 1); retried; if it persists the response format changed',
      );
      expect(err.message).to.equal(`Gave up after 3 attempts: ${cause.message}`);
      expect(server!.requests).to.have.length(3);
    });

    it('retries after a timeout', async () => {
      const client = await setup(
        (_req, res, i) => {
          if (i === 0) setTimeout(() => res.destroyed || sendJson(res, 200, oslo()), 400);
          else sendJson(res, 200, oslo());
        },
        { timeoutMs: 100 },
      );
      await client.data('12362', smallBody);
      expect(client.stats()).to.deep.equal({ requests: 2, retries: 1, dataRequests: 1 });
    });

    it('retries 503 and a 500 with an empty body', async () => {
      const client = await setup((_req, res, i) => {
        if (i === 0) sendProblem(res, 503, 'Service unavailable');
        else if (i === 1) {
          res.writeHead(500);
          res.end();
        } else sendJson(res, 200, oslo());
      });
      await client.data('12362', smallBody);
      expect(client.stats()).to.deep.equal({ requests: 3, retries: 2, dataRequests: 1 });
      expect(clock.sleeps).to.deep.equal([500, 1000]);
    });

    it('retries a connection reset', async () => {
      const client = await setup((_req, res, i) => (i === 0 ? res.socket?.destroy() : sendJson(res, 200, oslo())));
      await client.data('12362', smallBody);
      expect(client.stats().retries).to.equal(1);
    });
  });

  describe('rate limiting', () => {
    it('sends every attempt through the limiter', async () => {
      const client = await setup((_req, res) => sendJson(res, 200, oslo()), { maxCalls: 2, windowMs: 60_000 });
      const started = clock.now();
      for (let i = 0; i < 5; i++) await client.data('12362', smallBody);
      expect(clock.now() - started).to.equal(120_000);
      expect(client.stats().requests).to.equal(5);
    });

    it('pauses a window when the server says x-ratelimit-remaining: 0', async () => {
      const client = await setup((_req, res) => sendJson(res, 200, oslo(), { 'x-ratelimit-limit': '40', 'x-ratelimit-remaining': '0' }));
      await client.data('12362', smallBody);
      expect(clock.sleeps).to.deep.equal([]);
      await client.data('12362', smallBody);
      expect(clock.sleeps).to.deep.equal([60_000]);
    });
  });

  describe('config, table and metadata', () => {
    it('reads /config', async () => {
      const client = await setup((_req, res) => sendJson(res, 200, readFixture('pxwebapi-v2/config.json')));
      const config = await client.config();
      expect(config.maxDataCells).to.equal(150_000);
      expect(server!.requests[0].url).to.equal('/api/pxwebapi/v2/config');
    });

    it('reads /tables/{id} with lang', async () => {
      const client = await setup((_req, res) => sendJson(res, 200, readFixture('pxwebapi-v2/TableById_tab004.json')));
      const table = await client.table('TAB004');
      expect(table.id).to.equal('TAB004');
      expect(server!.requests[0].url).to.equal('/api/pxwebapi/v2/tables/TAB004?lang=no');
    });

    it('reads and validates /tables/{id}/metadata with value: []', async () => {
      const client = await setup((_req, res) => sendJson(res, 200, readFixture('pxwebapi-v2/TAB6471_metadata.json')), { lang: 'en' });
      const meta = await client.metadata('TAB6471');
      expect(meta.size).to.deep.equal([312, 134, 3, 1, 16]);
      expect(server!.requests[0].url).to.equal('/api/pxwebapi/v2/tables/TAB6471/metadata?lang=en&outputFormat=json-stat2');
    });

    it('rejects a metadata answer that is not JSON-stat after retrying', async () => {
      const client = await setup((_req, res) => sendJson(res, 200, { hello: 'world' }), { maxRetries: 1 });
      const err = (await client.metadata('12362').catch((e: unknown) => e)) as RetriesExhaustedError;
      expect((err.cause as Error).message).to.equal(
        'SSB answered 200 for GET /tables/12362/metadata with an unexpected body: JSON-stat: version must be "2.0", but got: undefined; retried; if it persists the response format changed',
      );
    });
  });
});
