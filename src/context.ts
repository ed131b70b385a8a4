import crypto from 'node:crypto';
import type { RefreshControl } from '../etl';
import type { MetricDefinition } from '../core/metrics';
import { MetricService } from './services/metric.service';
import { createFactLoader, type FactLoader } from './warehouse/fact-loader';
import { WarehouseReader } from './warehouse/reader';
import type { PeerGroupWriter } from '../db/peer-groups';
import type { Sql } from '../db/store';
import type { SnapshotCache, WarehouseSnapshot } from './warehouse/snapshot';

export interface AppContext {
  snapshot: WarehouseSnapshot;
  reader: WarehouseReader;
  facts: FactLoader;
  metricService: MetricService;
  metrics: ReadonlyMap<string, MetricDefinition>;
  refresher: RefreshControl | null;
  /** Saves the operators' own peer groups (admin only); null when this process does not write. */
  peerGroups: PeerGroupWriter | null;
  /** True when the request carried `Authorization: Bearer <ADMIN_TOKEN>`. */
  isAdmin: boolean;
  /** Aborted (with a RequestEndedError) once the request has answered or its client left: work checks it and stops. */
  ended: AbortSignal;
}

export interface ContextDeps {
  /** This request's read snapshot (see WarehouseStore.beginRead). */
  sql: Sql;
  snapshots: SnapshotCache;
  metrics: ReadonlyMap<string, MetricDefinition>;
  refresher: RefreshControl | null;
  peerGroups?: PeerGroupWriter | null;
  adminToken: string | null;
  /** See AppContext.ended. */
  ended: AbortSignal;
}

/** Constant-time token check, so the comparison leaks nothing about how much of a guess was right. */
export function tokenMatches(header: string | undefined, token: string | null): boolean {
  if (!token || !header) return false;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match) return false;
  const a = crypto.createHash('sha256').update(match[1]).digest();
  const b = crypto.createHash('sha256').update(token).digest();
  return crypto.timingSafeEqual(a, b);
}

/** A fresh context per request: its own loaders (no cache shared between users) over the current snapshot. */
export async function createContext(deps: ContextDeps, authorization: string | undefined): Promise<AppContext> {
  const reader = new WarehouseReader(deps.sql, deps.ended);
  const snapshot = await deps.snapshots.current(deps.sql);
  reader.statements++; // the version check the snapshot cache ran
  const facts = createFactLoader(reader, snapshot);
  return {
    snapshot, reader, facts, metrics: deps.metrics, refresher: deps.refresher, peerGroups: deps.peerGroups ?? null,
    metricService: new MetricService(snapshot, facts, deps.ended),
    isAdmin: tokenMatches(authorization, deps.adminToken),
    ended: deps.ended,
  };
}
