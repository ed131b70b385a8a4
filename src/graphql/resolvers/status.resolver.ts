import 'reflect-metadata';
import { Arg, Ctx, Info, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { maybeCacheControlFromInfo } from '@apollo/cache-control-types';
import type { AppContext } from '../../context';
import { BadInputError, UnauthenticatedError } from '../../errors';
import { LOAD_COLUMNS, LOAD_ROW, type LoadRow } from '../../../db/load-rows';
import { RefreshResult, WarehouseStatus } from '../types/status.types';


export const DEMO_NOTICE = 'Synthetic demo data (kostra-warehouse), not SSB figures: SSB could not be reached or demo data was asked for. The first successful load from SSB replaces it.';

@Resolver()
export class StatusResolver {
  @Query(() => WarehouseStatus, { description: 'Data freshness per source table, the last loads and their outcome.' })
  warehouseStatus(@Ctx() ctx: AppContext, @Info() info: GraphQLResolveInfo, @Arg('loads', () => Int, { defaultValue: 20 }) loads: number): WarehouseStatus {
    // Running and failed loads change this answer without a new warehouse version: never cache it.
    maybeCacheControlFromInfo(info)?.setCacheHint({ maxAge: 0 });
    if (loads < 0 || loads > 200) throw new BadInputError(`loads must be between 0 and 200, but got: ${loads}`, { argument: 'loads' });
    const recent = ctx.reader.rows(LOAD_ROW, `SELECT ${LOAD_COLUMNS} FROM load ORDER BY id DESC LIMIT ?`, [loads], 'recent loads');
    const lastIds = [...ctx.snapshot.sourceTables.values()].map((t) => t.lastLoadId).filter((id): id is number => id !== null);
    const last = lastIds.length
      ? new Map(ctx.reader.rows(LOAD_ROW, `SELECT ${LOAD_COLUMNS} FROM load WHERE id IN (${lastIds.map(() => '?').join(',')})`, lastIds, 'last loads').map((l) => [l.id, l]))
      : new Map<number, LoadRow>();
    return {
      version: ctx.snapshot.version,
      demo: ctx.snapshot.demo,
      notice: ctx.snapshot.demo ? DEMO_NOTICE : null,
      sourceTables: [...ctx.snapshot.sourceTables.values()].map((t) => ({ ...t, lastLoad: t.lastLoadId !== null ? (last.get(t.lastLoadId) ?? null) : null })),
      recentLoads: recent,
      refreshRunning: ctx.refresher?.running ?? false,
      curatedInputs: ctx.snapshot.curatedSources,
    };
  }

  @Mutation(() => RefreshResult, { description: 'Start a warehouse refresh from SSB now. Requires `Authorization: Bearer <ADMIN_TOKEN>`. A refresh already running is reported, not doubled.' })
  async refreshWarehouse(@Ctx() ctx: AppContext, @Arg('force', () => Boolean, { defaultValue: false }) force: boolean): Promise<RefreshResult> {
    if (!ctx.isAdmin) throw new UnauthenticatedError('refreshWarehouse needs the header "Authorization: Bearer <ADMIN_TOKEN>" with the token the server was started with');
    if (!ctx.refresher) return { started: false, message: 'refreshes are disabled in this process' };
    const start = await ctx.refresher.start({ force, reason: 'api' });
    if (!start.started) return { started: false, message: `not started: ${start.reason}` };
    return { started: true, message: `refresh started${force ? ' (forced)' : ''}; follow it in warehouseStatus.recentLoads` };
  }
}
