import 'reflect-metadata';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import express from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import type BetterSqlite3 from 'better-sqlite3';
import type { Logger } from '../core/log';
import type { Refresher } from '../etl';
import type { DocumentNode } from 'graphql';
import { loadCatalogue } from '../core/source-catalogue';
import { createContext, type AppContext } from './context';
import { checkOperationLimits } from './graphql/limits';
import { DEMO_NOTICE } from './graphql/resolvers/status.resolver';
import { indexMetrics, loadMetricCatalogue } from '../core/metrics';
import { buildAppSchema } from './schema/build-schema';
import { SnapshotCache } from './warehouse/snapshot';
import { ReadPool } from './warehouse/read-pool';
import { SliceCache } from './warehouse/fact-loader';
import { explorerRouter, loadExampleOperations } from './explorer/explorer';
import { reportRouter } from './report/report';
import { projectRoot } from '../core/paths';
import { cors, type CorsOrigins } from './http/cors';
import { checkIfNoneMatch } from './http/etag';
import { csvHandler, type CsvExecution } from './http/csv';
import { EdgeMetrics } from './http/metrics';
import { edgePlugin } from './http/apollo-edge';

export const EXPLORER_TITLE = 'kostra-warehouse — KOSTRA GraphQL explorer';

export interface ServerOptions {
  db: BetterSqlite3.Database;
  log: Logger;
  refresher?: Refresher | null;
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

export async function createServer(options: ServerOptions): Promise<AppServer> {
  const schema = await buildAppSchema();
  const indicatorKeys = new Set(loadCatalogue().catalogue.tables.flatMap((t) => t.indicators.map((i) => i.key)));
  const metricDefinitions = indexMetrics(loadMetricCatalogue({ indicatorKeys }));
  const snapshots = new SnapshotCache();
  const slices = new SliceCache();
  const pool = new ReadPool(options.db.name);
  /** Short reads outside GraphQL (readiness, the explorer banner), in their own read transaction. */
  const withRead = <T>(fn: (db: BetterSqlite3.Database) => T): T => {
    const lease = pool.acquire();
    try { return fn(lease.db); } finally { lease.release(); }
  };
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  let lastStatements = 0;
  const log = options.log;
  const corsOrigins = options.corsOrigins ?? '*';
  const currentSnapshot = () => withRead((db) => snapshots.current(db));
  const metrics = new EdgeMetrics({
    processMetrics: options.processMetrics,
    refreshRunning: () => options.refresher?.running ?? false,
    warehouse: () => {
      const snapshot = currentSnapshot();
      return { version: snapshot.version, demo: snapshot.demo, tables: [...snapshot.sourceTables.values()].map((t) => ({ id: t.id, lastLoadedAt: t.lastLoadedAt })) };
    },
  });
  const stopObserving = options.refresher?.observe(metrics.onRefresh);

  const warehousePlugin: ApolloServerPlugin<AppContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          checkOperationLimits(schema, document, request.variables ?? {});
        },
        async willSendResponse({ response, contextValue }) {
          lastStatements = contextValue.reader?.statements ?? 0;
          const snapshot = contextValue.snapshot;
          if (!snapshot) return;
          response.http.headers.set('x-warehouse-version', String(snapshot.version));
          response.http.headers.set('x-sql-statements', String(lastStatements));
          if (response.body.kind === 'single') {
            response.body.singleResult.extensions = {
              ...response.body.singleResult.extensions,
              warehouse: { version: snapshot.version, demo: snapshot.demo, ...(snapshot.demo ? { notice: DEMO_NOTICE } : {}) },
            };
          }
        },
      };
    },
  };

  const apollo = new ApolloServer<AppContext>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: Boolean(options.development),
    allowBatchedHttpRequests: false,
    // main.ts owns SIGTERM/SIGINT: it stops the schedule and the load too, then the database, in that order.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginCacheControl({ defaultMaxAge: options.cacheMaxAge ?? 3600, calculateHttpHeaders: true }),
      ApolloServerPluginLandingPageDisabled(),
      // Answers change only when a load commits: cache whole responses per warehouse version, shared by all users
      // (nothing in a query answer is per user; the mutation and warehouseStatus opt out with maxAge 0).
      responseCachePlugin<AppContext>({
        sessionId: async () => null,
        extraCacheKeyData: async ({ contextValue }) => contextValue.snapshot.version,
      }),
      warehousePlugin,
      // After the cache-control plugin: it reads the Cache-Control that plugin computed.
      edgePlugin(metrics),
    ],
    formatError(formatted, error) {
      const code = formatted.extensions?.code;
      if (code === 'INTERNAL_SERVER_ERROR' || code === undefined) {
        const id = crypto.randomBytes(4).toString('hex');
        log.error({ err: error, errorId: id }, `GraphQL request failed: ${formatted.message}`);
        if (!options.development) return { message: `internal error (id ${id}); the server log has the details`, extensions: { code: 'INTERNAL_SERVER_ERROR', errorId: id } };
      }
      return formatted;
    },
  });
  await apollo.start();

  /** A fresh context in its own read transaction; `release` ends the transaction (idempotent). */
  const leasedContext = (authorization: string | undefined): { context: AppContext; release: () => void } => {
    const lease = pool.acquire();
    try {
      const context = createContext({ db: lease.db, snapshots, slices, metrics: metricDefinitions, refresher: options.refresher ?? null, adminToken: options.adminToken ?? null }, authorization);
      return { context, release: lease.release };
    } catch (error) {
      lease.release();
      throw error;
    }
  };

  app.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/readyz', (_req, res) => {
    try {
      const snapshot = currentSnapshot();
      const reason = options.notReadyReason?.() ?? (snapshot.sourceTables.size === 0 ? 'the warehouse holds no data yet (first load not finished)' : null);
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
  app.get('/metrics', metrics.handler);
  app.use(explorerRouter({
    endpoint: '/graphql',
    title: EXPLORER_TITLE,
    examples: fs.existsSync(examplesDir) ? loadExampleOperations(examplesDir) : [],
    banner: () => (currentSnapshot().demo ? DEMO_NOTICE : undefined),
  }));
  app.use(reportRouter({ endpoint: '/graphql' }));

  // The API's answers carry validators of their own (version + operation, http/etag.ts): Express must not add a
  // body hash, which would also tag answers that may not be cached. Hence a sub-app with its own `etag` setting.
  const api = express();
  api.disable('x-powered-by');
  api.set('etag', false);
  api.use('/graphql', checkIfNoneMatch, express.json({ limit: '100kb' }), expressMiddleware(apollo, {
    context: async ({ req, res }) => {
      const { context, release } = leasedContext(req.headers.authorization);
      // Released when the response is done, whatever happened in between (errors included).
      res.on('close', release);
      return context;
    },
  }));
  // CSV runs its fixed query operations through the same server: plugins, limits, response cache and errors.
  const executeCsv = async (document: DocumentNode, variables: Record<string, unknown>): Promise<CsvExecution> => {
    const { context, release } = leasedContext(undefined);
    try {
      const result = await apollo.executeOperation({ query: document, variables }, { contextValue: context });
      if (result.body.kind !== 'single') throw new Error('a CSV operation answered incrementally');
      const { data, errors, extensions } = result.body.singleResult;
      return { data: data ?? null, errors, warehouse: extensions?.warehouse as CsvExecution['warehouse'], cacheControl: result.http.headers.get('cache-control') };
    } finally {
      release();
    }
  };
  api.get('/csv/:shape', csvHandler({ schema, execute: executeCsv }));
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
      pool.close();
    },
  };
}
