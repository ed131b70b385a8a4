/**
 * A local stand-in for SSB's statistics API (PxWebApi 2) and Klass, serving the synthetic demo data over HTTP
 * with node's `http` only. It speaks the real protocol (paths, parameters, json-stat2, problem+json errors,
 * rate-limit headers, the 2 100-character URL limit, 500 on repeated codes) and can inject faults, so the ETL's
 * HTTP client is tested against the same behaviour it will meet at data.ssb.no.
 *
 * Answers come from etl/demo's DemoApi — the same code the in-process demo source calls.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { URL } from 'node:url';
import { DemoApi, type DemoApiOptions } from './pxweb-api';
import { PxProblemError } from './problems';
import { parseGetDataQuery } from './selection';
import type { JsonStat2Dataset } from '../../etl/pxweb/types';

export const PXWEB_PREFIX = '/api/pxwebapi/v2';
export const KLASS_PREFIX = '/api/klass/v1';
/** SSB answers 404 for request URLs longer than about this. */
export const MAX_URL_LENGTH = 2100;

export type FaultKind =
  /** answer `status` (default 503) with a problem body; `retryAfter` adds a Retry-After header */
  | 'status'
  /** destroy the socket without answering */
  | 'reset'
  /** wait `delayMs` (default 5 000) before answering normally */
  | 'slow'
  /** send the headers with the full Content-Length, half the body, then close */
  | 'truncate'
  /** a json-stat2 answer whose `size` disagrees with the length of `value` */
  | 'badSizes'
  /** a json-stat2 answer with one more category (`code`, default "KOSdemoUkjent") in `dimension` (default ContentsCode) */
  | 'extraCode';

export interface FaultRule {
  kind: FaultKind;
  /** substring of (or RegExp on) the request path, e.g. "/tables/12362/data"; default every path */
  path?: string | RegExp;
  method?: string;
  /** affect the nth matching request first (1-based, default 1) … */
  nth?: number;
  /** … and this many matching requests from there (default 1; Infinity = all) */
  times?: number;
  status?: number;
  /** seconds (number) or an HTTP date, sent as Retry-After with `status` faults */
  retryAfter?: number | string;
  delayMs?: number;
  dimension?: string;
  code?: string;
}

export type FaultPlan = FaultRule[];

export interface RequestLog {
  method: string;
  path: string;
  /** raw query string without "?" */
  query: string;
  status: number;
  /** length of the full request URL (scheme, host, path, query) */
  urlLength: number;
  /** the fault applied, if any */
  fault?: FaultKind | 'rate-limit';
  /** ms since the stand-in started */
  at: number;
}

export interface StandinOptions extends Omit<DemoApiOptions, 'dataset'> {
  /** 0 = a free port; default 0 */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  faults?: FaultPlan;
  /** sliding window over all API calls; default SSB's documented 30 calls per 60 s */
  rateLimit?: { maxCalls: number; windowMs: number; retryAfter?: boolean };
  /** per-table `updated` (ISO UTC), e.g. to simulate a revision */
  tableUpdated?: Record<string, string>;
  /** share an existing DemoApi */
  api?: DemoApi;
}

export interface Standin {
  /** …/api/pxwebapi/v2 */
  url: string;
  /** …/api/klass/v1 */
  klassUrl: string;
  port: number;
  requests: RequestLog[];
  api: DemoApi;
  /** replace the fault plan (counters restart) */
  setFaults(plan: FaultPlan): void;
  /** change a table's `updated` (undefined = back to the default) */
  setTableUpdated(tableId: string, iso: string | undefined): void;
  close(): Promise<void>;
}

interface ActiveRule extends FaultRule {
  seen: number;
}

class HttpAnswer {
  constructor(
    readonly status: number,
    readonly body: string | Buffer | undefined,
    readonly contentType?: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

const JSON_TYPE = 'application/json; charset=utf-8';
const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

function problem(status: number, title: string, detail?: string): HttpAnswer {
  return new HttpAnswer(status, JSON.stringify({ type: 'Parameter error', title, status, ...(detail ? { detail } : {}) }), PROBLEM_TYPE);
}

function json(body: unknown, status = 200): HttpAnswer {
  return new HttpAnswer(status, JSON.stringify(body), JSON_TYPE);
}

function fromError(err: unknown): HttpAnswer {
  if (err instanceof PxProblemError) {
    if (!err.problem) return new HttpAnswer(err.status, undefined);
    return new HttpAnswer(err.status, JSON.stringify(err.problem), PROBLEM_TYPE);
  }
  return problem(500, 'Internal Server Error', (err as Error)?.message);
}

function matches(rule: FaultRule, method: string, path: string): boolean {
  if (rule.method && rule.method.toUpperCase() !== method) return false;
  if (rule.path === undefined) return true;
  return typeof rule.path === 'string' ? path.includes(rule.path) : rule.path.test(path);
}

function validatePlan(plan: FaultPlan): void {
  const kinds: FaultKind[] = ['status', 'reset', 'slow', 'truncate', 'badSizes', 'extraCode'];
  plan.forEach((r, i) => {
    if (!kinds.includes(r.kind)) throw new TypeError(`faults[${i}].kind must be one of ${kinds.join(', ')}, but got: ${r.kind}`);
    if (r.nth !== undefined && !(Number.isInteger(r.nth) && r.nth >= 1)) throw new TypeError(`faults[${i}].nth must be a positive integer, but got: ${r.nth}`);
    if (r.times !== undefined && !(r.times === Infinity || (Number.isInteger(r.times) && r.times >= 1))) {
      throw new TypeError(`faults[${i}].times must be a positive integer or Infinity, but got: ${r.times}`);
    }
  });
}

/** Adds one category to a json-stat2 dimension (values for it null), keeping the dataset consistent. */
export function withExtraCode(ds: JsonStat2Dataset, dimension: string, code: string): JsonStat2Dataset {
  const k = ds.id.indexOf(dimension);
  if (k < 0) return ds;
  const out: JsonStat2Dataset = JSON.parse(JSON.stringify(ds));
  const dim = out.dimension[dimension];
  const index = dim.category.index as Record<string, number>;
  const n = ds.size[k];
  index[code] = n;
  if (dim.category.label) dim.category.label[code] = `Ukjent kode (${code}) — syntetisk feil`;
  if (dim.category.unit) dim.category.unit[code] = { base: 'kr', decimals: 0 };
  out.size[k] = n + 1;
  if (ds.value.length === 0) return out; // metadata
  const inner = ds.size.slice(k + 1).reduce((a, b) => a * b, 1);
  const outer = ds.size.slice(0, k).reduce((a, b) => a * b, 1);
  const value: (number | null)[] = [];
  const status: Record<string, string> = {};
  const oldStatus = (ds.status ?? {}) as Record<string, string>;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < inner; j++) {
        const from = (o * n + i) * inner + j;
        if (oldStatus[String(from)]) status[String(value.length)] = oldStatus[String(from)];
        value.push(ds.value[from]);
      }
    }
    for (let j = 0; j < inner; j++) {
      status[String(value.length)] = '..';
      value.push(null);
    }
  }
  out.value = value;
  out.status = status;
  return out;
}

export async function startStandin(options: StandinOptions = {}): Promise<Standin> {
  if (options.api && options.layout !== undefined && options.layout !== options.api.layout) {
    throw new TypeError(`layout ${options.layout} differs from the shared api's layout ${options.api.layout}`);
  }
  const api = options.api ?? new DemoApi({ tableUpdated: options.tableUpdated, maxDataCells: options.maxDataCells, curatedDir: options.curatedDir, layout: options.layout });
  if (options.api && options.tableUpdated) for (const [id, iso] of Object.entries(options.tableUpdated)) api.setTableUpdated(id, iso);
  const host = options.host ?? '127.0.0.1';
  const limit = options.rateLimit ?? { maxCalls: 30, windowMs: 60_000 };
  if (!(Number.isInteger(limit.maxCalls) && limit.maxCalls > 0)) throw new TypeError(`rateLimit.maxCalls must be a positive integer, but got: ${limit.maxCalls}`);
  if (!(limit.windowMs > 0)) throw new TypeError(`rateLimit.windowMs must be a positive number, but got: ${limit.windowMs}`);
  let rules: ActiveRule[] = [];
  const setFaults = (plan: FaultPlan) => {
    validatePlan(plan);
    rules = plan.map((r) => ({ ...r, seen: 0 }));
  };
  setFaults(options.faults ?? []);
  const requests: RequestLog[] = [];
  const started = Date.now();
  const calls: number[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let base = '';
  let klassBase = '';

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent && !res.destroyed) res.writeHead(500, { 'content-type': PROBLEM_TYPE }).end(JSON.stringify({ type: 'Parameter error', title: 'Internal Server Error', status: 500, detail: String(err) }));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const rawUrl = req.url ?? '/';
    const fullUrl = `http://${req.headers.host ?? `${host}`}${rawUrl}`;
    const u = new URL(rawUrl, 'http://standin');
    const path = u.pathname;
    const log: RequestLog = { method, path, query: u.search.replace(/^\?/, ''), status: 0, urlLength: fullUrl.length, at: Date.now() - started };
    requests.push(log);
    const body = method === 'POST' ? await readBody(req) : '';

    // sliding-window rate limit over every API call
    const now = Date.now();
    while (calls.length && calls[0] <= now - limit.windowMs) calls.shift();
    const rateHeaders = (remaining: number): Record<string, string> => ({
      'x-ratelimit-limit': String(limit.maxCalls),
      'x-ratelimit-remaining': String(Math.max(0, remaining)),
      'x-ratelimit-policy': `${limit.maxCalls};w=${Number((limit.windowMs / 1000).toFixed(3))}s`,
    });

    // like SSB's gateway: long URLs are "not found", before anything else (and not counted)
    if (fullUrl.length > MAX_URL_LENGTH) return send(res, log, new HttpAnswer(404, '', undefined, rateHeaders(limit.maxCalls - calls.length)));
    if (calls.length >= limit.maxCalls) {
      const wait = Math.max(1, Math.ceil((calls[0] + limit.windowMs - now) / 1000));
      const a = problem(429, 'Too Many Requests', `more than ${limit.maxCalls} calls in ${limit.windowMs / 1000} s`);
      Object.assign(a.headers, rateHeaders(0), limit.retryAfter ? { 'retry-after': String(wait) } : {});
      log.fault = 'rate-limit';
      return send(res, log, a);
    }
    calls.push(now);
    const headers = rateHeaders(limit.maxCalls - calls.length);

    // faults
    let fault: ActiveRule | undefined;
    for (const r of rules) {
      if (!matches(r, method, path)) continue;
      r.seen++;
      const first = r.nth ?? 1;
      const times = r.times ?? 1;
      if (!fault && r.seen >= first && r.seen < first + times) fault = r;
    }
    if (fault) log.fault = fault.kind;
    if (fault?.kind === 'reset') {
      log.status = 0;
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      const st = fault.status ?? 503;
      const a = st === 429 ? problem(429, 'Too Many Requests') : problem(st, st === 503 ? 'Service Unavailable' : 'Injected fault', 'fault injected by the stand-in');
      Object.assign(a.headers, headers, fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {});
      return send(res, log, a);
    }
    if (fault?.kind === 'slow') {
      await new Promise<void>((r) => {
        const t = setTimeout(() => {
          timers.delete(t);
          r();
        }, fault.delayMs ?? 5000);
        timers.add(t);
      });
      if (res.destroyed || req.socket.destroyed) {
        log.status = 0;
        return;
      }
    }

    let answer: HttpAnswer;
    try {
      answer = route(method, path, u.searchParams, body, req.headers.accept);
    } catch (err) {
      answer = fromError(err);
    }
    Object.assign(answer.headers, headers);
    if (fault && answer.status === 200 && typeof answer.body === 'string' && (fault.kind === 'badSizes' || fault.kind === 'extraCode')) {
      const ds = JSON.parse(answer.body) as JsonStat2Dataset;
      if (ds.class === 'dataset') {
        const changed =
          fault.kind === 'badSizes'
            ? { ...ds, size: ds.size.map((s, i) => (i === 0 ? s + 1 : s)) }
            : withExtraCode(ds, fault.dimension ?? 'ContentsCode', fault.code ?? 'KOSdemoUkjent');
        answer = new HttpAnswer(answer.status, JSON.stringify(changed), answer.contentType, answer.headers);
      }
    }
    if (fault?.kind === 'truncate' && answer.body !== undefined) {
      const buf = Buffer.from(answer.body);
      log.status = answer.status;
      res.writeHead(answer.status, { ...answer.headers, 'content-type': answer.contentType ?? JSON_TYPE, 'content-length': String(buf.length) });
      res.write(buf.subarray(0, Math.floor(buf.length / 2)), () => req.socket.destroy());
      return;
    }
    send(res, log, answer);
  }

  function route(method: string, path: string, q: URLSearchParams, body: string, accept: string | undefined): HttpAnswer {
    const param = (name: string) => {
      for (const [k, v] of q) if (k.toLowerCase() === name.toLowerCase()) return v;
      return undefined;
    };
    if (path.startsWith(KLASS_PREFIX)) return klass(path.slice(KLASS_PREFIX.length), param, accept);
    if (!path.startsWith(PXWEB_PREFIX)) return new HttpAnswer(404, 'Not found', 'text/plain; charset=utf-8');
    const p = path.slice(PXWEB_PREFIX.length).replace(/\/+$/, '') || '/';
    const lang = param('lang');
    let m: RegExpExecArray | null;
    if (p === '/config') return method === 'GET' ? json(api.config()) : problem(405, 'Method Not Allowed');
    if (p === '/tables') {
      return json(
        api.listTables(
          { query: param('query'), pastDays: param('pastDays'), includeDiscontinued: param('includeDiscontinued'), pageNumber: param('pageNumber'), pageSize: param('pageSize'), lang },
          new Date(),
          base,
        ),
      );
    }
    if ((m = /^\/tables\/([^/]+)$/.exec(p))) return json(api.table(decodeURIComponent(m[1]), lang, base));
    if ((m = /^\/tables\/([^/]+)\/metadata$/.exec(p))) return json(api.metadata(decodeURIComponent(m[1]), lang, base));
    if ((m = /^\/tables\/([^/]+)\/data$/.exec(p))) {
      const id = decodeURIComponent(m[1]);
      if (method === 'GET') return json(api.dataFromQuery(id, parseGetDataQuery(q), base));
      if (method === 'POST') {
        let selection = null;
        if (body.trim() !== '') {
          try {
            selection = JSON.parse(body);
          } catch {
            return problem(400, 'Illegal selection expression', 'the request body is not valid JSON');
          }
        }
        return json(api.data(id, selection, { lang, outputFormat: param('outputFormat'), outputFormatParams: param('outputFormatParams') }, base));
      }
      return problem(405, 'Method Not Allowed');
    }
    if ((m = /^\/codelists\/([^/]+)$/.exec(p))) return json(api.codelist(decodeURIComponent(m[1]), lang, base));
    return problem(404, 'Not Found', `no such endpoint: ${p}`);
  }

  function klass(p: string, param: (n: string) => string | undefined, accept: string | undefined): HttpAnswer {
    const m = /^\/classifications\/([^/]+)\/(changes|codesAt)(\.json)?$/.exec(p);
    if (!m) return new HttpAnswer(404, `Not found: ${p}`, 'text/plain; charset=utf-8');
    if (m[1] !== '131') return new HttpAnswer(404, `Classification with id ${m[1]} not found in the demo (only 131)`, 'text/plain; charset=utf-8');
    if (!m[3] && accept && !/json|\*\/\*/.test(accept)) return new HttpAnswer(406, 'Only JSON is served by the stand-in: add .json or Accept: application/json', 'text/plain; charset=utf-8');
    try {
      const body = m[2] === 'changes' ? api.klassChanges(param('from') ?? '', param('to') ?? '9999-12-31') : api.klassCodesAt(param('date') ?? '');
      return json(body);
    } catch (err) {
      if (err instanceof PxProblemError) return new HttpAnswer(400, err.detail ?? err.message, 'text/plain; charset=utf-8');
      throw err;
    }
  }

  function send(res: http.ServerResponse, log: RequestLog, a: HttpAnswer): void {
    log.status = a.status;
    if (res.destroyed) return;
    const buf = a.body === undefined ? Buffer.alloc(0) : Buffer.from(a.body);
    res.writeHead(a.status, { ...a.headers, ...(a.contentType && buf.length ? { 'content-type': a.contentType } : {}), 'content-length': String(buf.length) });
    res.end(buf);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  base = `http://${host}:${port}${PXWEB_PREFIX}`;
  klassBase = `http://${host}:${port}${KLASS_PREFIX}`;

  return {
    url: base,
    klassUrl: klassBase,
    port,
    requests,
    api,
    setFaults,
    setTableUpdated: (id, iso) => api.setTableUpdated(id, iso),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}
