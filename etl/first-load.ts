import type { Sql, WarehouseStore } from '../db/store';
import type { Logger } from '../core/log';
import { logProgress, runEtl, type EtlRunResult } from './pipeline';
import { PxWebClient } from './pxweb/client';
import type { RefreshSettings } from './refresher';
import { createSources } from './sources';

const NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'ECONNABORTED', 'ERR_NETWORK', 'EPROTO', 'CERT_HAS_EXPIRED', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN']);

/** True when the error (or any cause) says the network could not reach the server at all. */
export function isUnreachable(error: unknown): boolean {
  for (let e = error as { code?: string; cause?: unknown; message?: string } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth++) {
    if (e.code && NETWORK_CODES.has(e.code)) return true;
  }
  return false;
}

export async function warehouseIsEmpty(sql: Sql): Promise<boolean> {
  return !(await sql.get({ one: 'number' }, 'SELECT 1 AS one FROM source_table LIMIT 1', [], 'any table loaded'));
}

/**
 * The first start: load SSB's data, or — when SSB cannot be reached at all — the bundled synthetic demo data, so
 * a new user can explore at once. A quick probe decides (one short request), not a full run of retries.
 */
export async function firstLoad(store: WarehouseStore, log: Logger, settings: RefreshSettings, signal?: AbortSignal, runId?: string, onLocked?: () => void): Promise<EtlRunResult> {
  let kind = settings.source;
  if (kind === 'live') {
    try {
      await new PxWebClient({ baseUrl: settings.ssbApiUrl, timeoutMs: 8000, maxRetries: 1, baseDelayMs: 500 }).config();
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      log.warn(`SSB's statistics API at ${settings.ssbApiUrl} cannot be reached from this machine, so the bundled synthetic demo data is loaded instead (it is labelled as demo everywhere, and the first successful live load replaces it).`);
      kind = 'demo';
    }
  }
  log.info({ source: kind }, `first start: loading the ${kind === 'demo' ? 'synthetic demo' : 'SSB'} data into the empty warehouse`);
  const { source: stat, history } = createSources(kind, settings, { log });
  const result = await runEtl({
    store, source: stat, history, log, signal, runId, reason: 'first start', curatedDir: settings.curatedDir, onLocked,
    progress: logProgress(log),
  });
  if (!result.ok) log.error({ runId: result.runId }, 'the first load did not complete; the server starts with what loaded (see warehouseStatus)');
  return result;
}
