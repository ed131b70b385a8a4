import 'reflect-metadata';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import express from 'express';
import { GraphQLError, type DocumentNode } from 'graphql';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { cachePolicyPlugin } from './graphql/cache-policy';
import { plainData, responseCachePlugin, stringifyResult } from './graphql/response-cache';
import { expressMiddleware } from '@as-integrations/express5';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { Logger } from '../core/log';
import type { RefreshControl } from '../etl';
import { createContext, type AppContext } from './context';
import { RequestEndedError } from './errors';
import { PeerGroupWriter } from '../db/peer-groups';
import { inSnapshot, type Sql, type WarehouseStore } from '../db/store';
import { checkOperationLimits, MAX_TOKENS } from './graphql/limits';
import { executorGateway, OperationExecutor, type ExecutorKind } from './graphql/executor';
import { DEMO_NOTICE, demoInputsNotice } from './graphql/resolvers/status.resolver';
import { indexMetrics, shippedMetrics, shippedProduction } from '../core/metrics';
import { buildAppSchema } from './schema/build-schema';
import { SnapshotCache, type WarehouseSnapshot } from './warehouse/snapshot';
import { explorerRouter, loadExampleOperations } from './explorer/explorer';
import { reportRouter } from './report/report';
import { projectRoot } from '../core/paths';
import { cors, type CorsOrigins } from './http/cors';
import { checkIfNoneMatch } from './http/etag';
import { oneRequestPerTurn, TurnQueue } from './http/turns';
import { csvHandler, type CsvExecution } from './http/csv';
import { EdgeMetrics } from './http/metrics';
import { edgePlugin } from './http/apollo-edge';

export const EXPLORER_TITLE = 'kostra-warehouse — KOSTRA GraphQL explorer';

export interface ServerOptions {
  /** The warehouse (SQLite or PostgreSQL); the server reads through it and saves peer groups in it. */
  store: WarehouseStore;
  log: Logger;
  refresher?: RefreshControl | null;
  adminToken?: string | null;
  /** Development mode shows stack traces and internal messages to clients. */
  development?: boolean;
  /** Extra readiness check (e.g. "first load still running"); return a reason when not ready. */
  notReadyReason?: () => string | null;
  /** Max age in seconds for cacheable responses; data changes nightly. */
  cacheMaxAge?: number;
  /** Origins whose pages may read the API (CORS_ORIGINS); default any ('*'). */
  corsOrigins?: CorsOrigins;
  /** Process metrics (CPU, memory, GC) on /metrics; default on. */
  processMetrics?: boolean;
  /** The whole-response cache (API_CACHES); default on. Off only to measure cold requests. */
  caches?: boolean;
  /** What executes operations: graphql-jit (default), or graphql-js alone, to compare answers in tests. */
  executor?: ExecutorKind;
}

export interface AppServer {
  app: express.Express;
  apollo: ApolloServer<AppContext>;
  httpServer: http.Server;
  listen(port: number, host?: string): Promise<number>;
  stop(): Promise<void>;
  /** SQL statements run by the last finished request (for tests). */
  readonly lastStatements: number;
  readonly metrics: EdgeMetrics;
}

/** Bounds of the server's two caches (bytes of JSON, as Apollo's LRU caches measure them). */
export const DOCUMENT_CACHE_BYTES = 4 * 2 ** 20;
export const RESPONSE_CACHE_BYTES = 30 * 2 ** 20;

/** The tables every answer reads from; /readyz checks they are there (the snapshot may be cached from before). */
const REQUIRED_TABLES = [
  'fact', 'indicator', 'region', 'municipality', 'municipality_change', 'year', 'service_area', 'service_area_grouping', 'source_table', 'load',
  'etl_run', 'peer_group', 'peer_group_member', 'curated_source', 'need_index', 'deflator', 'indicator_source', 'reconciliation',
];

/** Tables of REQUIRED_TABLES the database lacks, from the engine's own catalogue (one query). */
async function missingTables(sql: Sql): Promise<string[]> {
  const present = await sql.all({ name: 'string' }, sql.engine === 'postgres'
    ? 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()'
    : "SELECT name FROM sqlite_master WHERE type = 'table'", [], 'tables');
  const names = new Set(present.map((t) => t.name));
  return REQUIRED_TABLES.filter((table) => !names.has(table));
}

/**
 * True while a run is going and none has ever finished with data (succeeded or partial): the warehouse's first load,
 * whose tables arrive one by one. A failed or interrupted first run leaves whatever it loaded to be served.
 */
async function firstRunGoing(sql: Sql): Promise<boolean> {
  const runs = await sql.get({ running: 'boolean', finished: 'boolean' },
    "SELECT EXISTS (SELECT 1 FROM etl_run WHERE status = 'running') AS running, EXISTS (SELECT 1 FROM etl_run WHERE status IN ('succeeded', 'partial')) AS finished",
    [], 'first run');
  return runs !== undefined && runs.running && !runs.finished;
}

export async function createServer(options: ServerOptions): Promise<AppServer> {
  const schema = await buildAppSchema();
  const metricDefinitions = indexMetrics(shippedMetrics());
  shippedProduction(); // the efficiency analysis's catalogue: a broken one stops the start, listing every problem
  const { store } = options;
  const peerGroups = new PeerGroupWriter(store);
  const snapshots = new SnapshotCache();
  const caches = options.caches ?? true;
  const log = options.log;
  /** The newest snapshot a request or a check read, for what must answer synchronously (metrics, the explorer banner). */
  let latest: WarehouseSnapshot | null = null;
  const seen = (snapshot: WarehouseSnapshot) => {
    if (!latest || snapshot.version >= latest.version) latest = snapshot;
    return snapshot;
  };
  /** Short reads outside GraphQL (readiness, metrics, the explorer banner), in their own read snapshot. */
  const currentSnapshot = async () => seen(await inSnapshot(store, (sql) => snapshots.current(sql)));
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  // Node answers a request it cannot parse (a URL or headers over its 16 kB limit, bad syntax) with a bare status
  // before express sees it; answer GraphQL-style instead, so every client gets a message and a code.
  httpServer.on('clientError', (error: Error & { code?: string }, socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') { socket.destroy(); return; }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const message = status === 431 ? 'the request line and headers are larger than 16 kB; send long queries in a POST body' : 'bad request: the HTTP request could not be parsed';
    const body = JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });
  let lastStatements = 0;
  const corsOrigins = options.corsOrigins ?? '*';
  // One queue for every request that computes (GraphQL and CSV): first come, first served, one start per turn.
  const turnQueue = new TurnQueue();
  const metrics = new EdgeMetrics({
    processMetrics: options.processMetrics,
    refreshRunning: () => options.refresher?.running ?? false,
    waiting: () => turnQueue.length,
    warehouse: () => {
      const snapshot = latest;
      if (!snapshot) return { version: 0, demo: false, tables: [] };
      return { version: snapshot.version, demo: snapshot.demo, tables: [...snapshot.sourceTables.values()].map((t) => ({ id: t.id, lastLoadedAt: t.lastLoadedAt })) };
    },
  });
  const stopObserving = options.refresher?.observe(metrics.onRefresh);

  /**
   * Each request's controller, by the signal its context carries: the plugin that sees the answer go out ends the
   * request, and resolvers can only check the signal, not end it.
   */
  const enders = new WeakMap<AbortSignal, AbortController>();
  const endRequest = (signal: AbortSignal, why: string) => {
    const controller = enders.get(signal);
    if (controller && !controller.signal.aborted) controller.abort(new RequestEndedError(why));
  };

  const warehousePlugin: ApolloServerPlugin<AppContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          checkOperationLimits(schema, document, request.variables ?? {}, operation);
        },
        async willSendResponse({ response, contextValue }) {
          // The answer is final: a field still running (a sibling failed and nulled the whole answer) stops here.
          if (contextValue.ended) endRequest(contextValue.ended, 'it has answered');
          lastStatements = contextValue.reader?.statements ?? 0;
          const snapshot = contextValue.snapshot;
          if (!snapshot) return;
          response.http.headers.set('x-warehouse-version', String(snapshot.version));
          response.http.headers.set('x-sql-statements', String(lastStatements));
          if (response.body.kind === 'single') {
            response.body.singleResult.extensions = {
              ...response.body.singleResult.extensions,
              warehouse: {
                version: snapshot.version, demo: snapshot.demo, ...(snapshot.demo ? { notice: DEMO_NOTICE } : {}),
                // Curated inputs with synthetic values label every answer until real ones are curated, even over live SSB data.
                ...(snapshot.demoInputs.length ? { demoInputs: snapshot.demoInputs, demoInputsNotice: demoInputsNotice(snapshot.demoInputs) } : {}),
              },
            };
          }
        },
      };
    },
  };

  const answers = new InMemoryLRUCache<string>({ maxSize: RESPONSE_CACHE_BYTES });
  const apollo = new ApolloServer<AppContext>({
    // Operations run compiled by graphql-jit (graphql/executor.ts), through Apollo's gateway hook.
    gateway: executorGateway(schema, new OperationExecutor(schema, { kind: options.executor })),
    introspection: true,
    includeStacktraceInErrorResponses: Boolean(options.development),
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: MAX_TOKENS },
    // Compact JSON: Apollo's default indents every answer, which costs CPU and bytes on a 1 000-row page. A cached
    // answer's data goes out as the stored text (graphql/response-cache.ts).
    stringifyResult,
    // Parsed documents are kept for repeated queries in an LRU sized by their JSON length; in the heap a document
    // takes about four times that, so Apollo's default of 30 MB let it grow past 100 MB under many distinct queries.
    documentStore: new InMemoryLRUCache<DocumentNode>({ maxSize: DOCUMENT_CACHE_BYTES }),
    // Whole responses (and persisted queries), sized by their JSON length: Apollo's default, stated.
    cache: answers,
    // main.ts owns SIGTERM/SIGINT: it stops the schedule and the load too, then the database, in that order.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginCacheControlDisabled(),
      cachePolicyPlugin<AppContext>(schema, options.cacheMaxAge ?? 3600),
      ApolloServerPluginLandingPageDisabled(),
      // Answers change only when a load commits: cache whole responses per warehouse version, shared by all users
      // (nothing in a query answer is per user; the mutation and warehouseStatus opt out with maxAge 0).
      ...(caches ? [responseCachePlugin<AppContext>({ cache: answers, version: ({ contextValue }) => contextValue.snapshot.version })] : []),
      warehousePlugin,
      // After the cache-policy plugin: it reads the Cache-Control that plugin computed.
      edgePlugin(metrics),
    ],
    formatError(formatted, error) {
      const code = formatted.extensions?.code;
      // Some of Apollo's own refusals (a persisted-query hash that does not match its query) carry an HTTP 4xx
      // status but no code, which Apollo then fills in as INTERNAL_SERVER_ERROR: they are the client's mistake.
      const own = (error as { extensions?: { code?: unknown; http?: { status?: number } } }).extensions;
      const status = own?.http?.status;
      if (own?.code === undefined && status !== undefined && status >= 400 && status < 500) {
        return { message: formatted.message, extensions: { code: 'BAD_REQUEST' } };
      }
      // graphql-js refuses an argument value during execution (an explicit null through a nullable variable for a
      // non-null argument with a default) with a GraphQLError of its own, not thrown by any resolver.
      const fromGraphql = error instanceof GraphQLError && (!error.originalError || error.originalError instanceof GraphQLError);
      if (own?.code === undefined && fromGraphql && /^Argument "[^"]+" (of non-null type "[^"]+" must not be null|has invalid value)/.test(formatted.message)) {
        return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
      }
      if (code === 'INTERNAL_SERVER_ERROR' || code === undefined) {
        const id = crypto.randomBytes(4).toString('hex');
        log.error({ err: error, errorId: id }, `GraphQL request failed: ${formatted.message}`);
        if (!options.development) return { message: `internal error (id ${id}); the server log has the details`, extensions: { code: 'INTERNAL_SERVER_ERROR', errorId: id } };
      }
      return formatted;
    },
  });
  await apollo.start();

  /**
   * A fresh context in its own read snapshot. `release` ends the request: its remaining work stops at the next check
   * (see AppContext.ended), then the snapshot ends (idempotent, never throws).
   */
  const leasedContext = async (authorization: string | undefined): Promise<{ context: AppContext; release: (why: string) => Promise<void> }> => {
    const lease = await store.beginRead();
    const ended = new AbortController();
    enders.set(ended.signal, ended);
    try {
      const context = await createContext({
        sql: lease.sql, snapshots, metrics: metricDefinitions, refresher: options.refresher ?? null, peerGroups, adminToken: options.adminToken ?? null, ended: ended.signal,
      }, authorization);
      seen(context.snapshot);
      return { context, release: (why) => { endRequest(ended.signal, why); return lease.release(); } };
    } catch (error) {
      endRequest(ended.signal, 'its context could not be built');
      await lease.release();
      throw error;
    }
  };

  app.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/readyz', async (_req, res) => {
    try {
      // One read snapshot for both checks (on PostgreSQL, one pooled connection per probe).
      const checked = await inSnapshot(store, async (sql) => {
        const missing = await missingTables(sql);
        if (missing.length) return { missing };
        const snapshot = seen(await snapshots.current(sql));
        // A replica (npm run serve) hears of the worker's first load only through the warehouse: its run record.
        return { missing, snapshot, firstRunGoing: options.notReadyReason ? false : await firstRunGoing(sql) };
      });
      if (!checked.snapshot) {
        res.status(503).json({ status: 'not ready', reason: `the warehouse schema is broken: table(s) ${checked.missing.join(', ')} missing; restore the database from a backup or move it away so the next start creates and loads it` });
        return;
      }
      const { snapshot } = checked;
      const reason = options.notReadyReason?.()
        ?? (checked.firstRunGoing ? 'the first load is still running (the worker has finished no run yet)' : null)
        ?? (snapshot.sourceTables.size === 0 ? 'the warehouse holds no data yet (first load not finished)' : null);
      if (reason) res.status(503).json({ status: 'not ready', reason });
      else res.json({ status: 'ready', version: snapshot.version, demo: snapshot.demo });
    } catch (error) {
      res.status(503).json({ status: 'not ready', reason: `database not readable: ${(error as Error).message}` });
    }
  });
  const examplesDir = path.join(projectRoot(), 'schema', 'examples');
  // Before the explorer's router, which would answer OPTIONS /graphql itself (with GET and HEAD only).
  app.all('/graphql', cors(corsOrigins, { methods: ['GET', 'POST'] }));
  app.all('/csv/:shape', cors(corsOrigins, { methods: ['GET', 'HEAD'] }));
  // Metrics and the explorer's banner read the newest snapshot synchronously: bring it up to date first.
  const freshSnapshot: express.RequestHandler = (_req, _res, next) => { currentSnapshot().then(() => next(), next); };
  app.get('/metrics', freshSnapshot, metrics.handler);
  app.get(['/graphql', '/graphql/'], (req, res, next) => (req.accepts('html') && !req.query.query ? freshSnapshot(req, res, next) : next()));
  app.use(explorerRouter({
    endpoint: '/graphql',
    title: EXPLORER_TITLE,
    examples: fs.existsSync(examplesDir) ? loadExampleOperations(examplesDir) : [],
    banner: () => (latest?.demo ? DEMO_NOTICE : undefined),
  }));
  app.use(reportRouter({ endpoint: '/graphql' }));

  // The API's answers carry validators of their own (version + operation, http/etag.ts): Express must not add a
  // body hash, which would also tag answers that may not be cached. Hence a sub-app with its own `etag` setting.
  const api = express();
  api.disable('x-powered-by');
  api.set('etag', false);
  const turns = oneRequestPerTurn(turnQueue);
  api.use('/graphql', checkIfNoneMatch, express.json({ limit: '100kb' }), turns, expressMiddleware(apollo, {
    context: async ({ req, res }) => {
      // Released when the response is done, whatever happened in between (errors included). Listening before the
      // snapshot is taken: a client that goes away meanwhile must not leave it open (on PostgreSQL, a pooled
      // connection idle in its transaction for good).
      let release: ((why: string) => Promise<void>) | null = null;
      let closed = req.socket.destroyed; // gone before it got here: 'close' has been and will not come again
      res.once('close', () => { closed = true; void release?.(res.writableFinished ? 'it has answered' : 'the client closed the connection'); });
      const leased = await leasedContext(req.headers.authorization);
      release = leased.release;
      if (closed) {
        await release('the client closed the connection');
        throw new RequestEndedError('the client closed the connection before it ran');
      }
      return leased.context;
    },
  }));
  // CSV runs its fixed query operations through the same server: plugins, limits, response cache and errors.
  const executeCsv = async (document: DocumentNode, variables: Record<string, unknown>): Promise<CsvExecution> => {
    const { context, release } = await leasedContext(undefined);
    try {
      const result = await apollo.executeOperation({ query: document, variables }, { contextValue: context });
      if (result.body.kind !== 'single') throw new Error('a CSV operation answered incrementally');
      const { data, errors, extensions } = result.body.singleResult;
      return { data: plainData(data) ?? null, errors, warehouse: extensions?.warehouse as CsvExecution['warehouse'], cacheControl: result.http.headers.get('cache-control') };
    } finally {
      await release('it has answered');
    }
  };
  api.get('/csv/:shape', turns, csvHandler({ schema, execute: executeCsv }));
  app.use(api);
  app.get('/', (_req, res) => { res.redirect('/graphql'); });
  // Express's default error page shows a stack trace outside production: answer GraphQL-style instead.
  app.use((error: Error & { status?: number; statusCode?: number; type?: string }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(error);
    const status = error.status ?? error.statusCode ?? 500;
    const message = status === 413 ? 'the request body is larger than 100 kB; send a smaller query'
      : status < 500 ? `bad request: ${error.type === 'entity.parse.failed' ? 'the body is not valid JSON' : error.message}`
        : 'internal error; the server log has the details';
    if (status >= 500) log.error({ err: error }, 'HTTP request failed');
    res.status(status).json({ errors: [{ message, extensions: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } }] });
  });

  return {
    app, apollo, httpServer,
    get lastStatements() { return lastStatements; },
    metrics,
    listen: (port, host) => new Promise((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(port, host, () => resolve((httpServer.address() as { port: number }).port));
    }),
    async stop() {
      stopObserving?.();
      await apollo.stop();
      if (httpServer.listening) await new Promise<void>((r) => httpServer.close(() => r()));
    },
  };
}
