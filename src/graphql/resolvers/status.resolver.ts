import 'reflect-metadata';
import { Arg, Ctx, Extensions, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { AppContext } from '../../context';
import { BadInputError, UnauthenticatedError } from '../../errors';
import { LOAD_COLUMNS, LOAD_ROW, RUN_COLUMNS, RUN_ROW, runProblems, type LoadRow } from '../../../db/load-rows';
import { toReconciliation } from '../mappers';
import { RefreshResult, WarehouseStatus } from '../types/status.types';
import { CACHE_MAX_AGE_EXTENSION } from '../cache-policy';


/** Said on every answer while a curated input holds synthetic values (the shipped need index and deflator do). */
export function demoInputsNotice(ids: readonly string[]): string {
  return `The curated input(s) ${ids.join(', ')} hold synthetic demo values, not the ministry's figures: need-corrected and inflation-adjusted ` +
    'numbers built on them are illustrations. Replace the files in etl/curated/ with curated real values (see their sources.json).';
}

export const DEMO_NOTICE = 'Synthetic demo data (kostra-warehouse), not SSB figures: SSB could not be reached or demo data was asked for. The first successful load from SSB replaces it.';

@Resolver()
export class StatusResolver {
  @Query(() => WarehouseStatus, { description: 'Data freshness per source table, the last loads and their outcome.' })
  // Running and failed loads change this answer without a new warehouse version: never cache it.
  @Extensions({ [CACHE_MAX_AGE_EXTENSION]: 0 })
  async warehouseStatus(@Ctx() ctx: AppContext, @Arg('loads', () => Int, { defaultValue: 20 }) loads: number): Promise<WarehouseStatus> {
    if (loads < 0 || loads > 200) throw new BadInputError(`loads must be between 0 and 200, but got: ${loads}`, { argument: 'loads' });
    const stored = (await ctx.reader.rows(RUN_ROW, `SELECT ${RUN_COLUMNS} FROM etl_run ORDER BY started_at DESC LIMIT 10`, [], 'recent runs'))
      .map((r) => ({ ...r, problems: runProblems(r) }));
    // Runs whose record the database refused (read-only, disk full) are known to this process only.
    const unrecorded = (ctx.refresher?.unrecordedRuns ?? []).filter((u) => !stored.some((r) => r.id === u.id))
      .map((u) => ({ ...u, problems: [...u.problems, u.unwritten] }));
    const runs = [...unrecorded, ...stored].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, 10);
    const recent = await ctx.reader.rows(LOAD_ROW, `SELECT ${LOAD_COLUMNS} FROM load ORDER BY id DESC LIMIT ?`, [loads], 'recent loads');
    const lastIds = [...ctx.snapshot.sourceTables.values()].map((t) => t.lastLoadId).filter((id): id is number => id !== null);
    const last = lastIds.length
      ? new Map((await ctx.reader.rows(LOAD_ROW, `SELECT ${LOAD_COLUMNS} FROM load WHERE id IN (${lastIds.map(() => '?').join(',')})`, lastIds, 'last loads')).map((l) => [l.id, l]))
      : new Map<number, LoadRow>();
    return {
      version: ctx.snapshot.version,
      demo: ctx.snapshot.demo,
      notice: ctx.snapshot.demo ? DEMO_NOTICE : null,
      sourceTables: [...ctx.snapshot.sourceTables.values()].map((t) => ({ ...t, lastLoad: t.lastLoadId !== null ? (last.get(t.lastLoadId) ?? null) : null })),
      recentLoads: recent,
      refreshRunning: ctx.refresher?.running ?? false,
      curatedInputs: ctx.snapshot.curatedSources,
      demoInputs: ctx.snapshot.demoInputs,
      problems: runs[0]?.problems ?? [],
      runs,
      indicatorSources: [...ctx.snapshot.indicatorSources.values()].map((s) => ({
        key: s.key, label: s.label, status: s.status, table: s.tableId, concept: s.conceptCode, content: s.contentCode, ssbLabel: s.ssbLabel,
        certainty: s.certainty, candidate: s.candidate === null ? null : s.candidate + 1, passedOver: parseTried(s.tried),
      })),
      reconciliation: [...ctx.snapshot.reconciliation.values()].map(toReconciliation),
    };
  }

  @Mutation(() => RefreshResult, { description: 'Start a warehouse refresh from SSB now. Requires `Authorization: Bearer <ADMIN_TOKEN>`. A refresh already running is reported, not doubled.' })
  async refreshWarehouse(@Ctx() ctx: AppContext, @Arg('force', () => Boolean, { defaultValue: false }) force: boolean): Promise<RefreshResult> {
    if (!ctx.isAdmin) throw new UnauthenticatedError('refreshWarehouse needs the header "Authorization: Bearer <ADMIN_TOKEN>" with the token the server was started with');
    if (!ctx.refresher) return { started: false, message: 'refreshes are disabled in this process' };
    const start = await ctx.refresher.start({ force, reason: 'api' });
    if (!start.started) return { started: false, message: `not started: ${start.reason}` };
    const what = 'requestId' in start ? `refresh requested from the loading process (request ${start.requestId})` : `refresh ${start.runId} started`;
    return { started: true, message: `${what}${force ? ' (forced)' : ''}; follow it in warehouseStatus.runs and recentLoads` };
  }
}

/** The stored reasons candidates were passed over (JSON from the ETL), one line each. */
function parseTried(tried: string | null): string[] {
  if (!tried) return [];
  const parsed: unknown = JSON.parse(tried);
  return Array.isArray(parsed) ? parsed.flatMap((t: { problem?: unknown }) => (typeof t?.problem === 'string' ? [t.problem] : [])) : [];
}
