#!/usr/bin/env node
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import type { CatalogueCheck, EtlProgress, EtlRunResult, TableResult } from './pipeline';
import { formatLoadStatus } from './status';
import { watchParent } from './parent-watch';
import { formatTable } from '../core/text/table';
import { warehouseOpenProblem } from '../core/startup-errors';

const HELP = `Usage: npm run etl -- [options]

Loads the KOSTRA tables of core/source-catalogue/source-catalogue.json from SSB into the warehouse.

Options:
  --check        resolve the catalogue against SSB's metadata: per indicator the table and code chosen, or what
                 is missing with the closest SSB labels; requests no data, writes nothing (run it first against SSB)
  --table ID     load only this table (repeatable), e.g. --table 12134
  --force        reload tables even when SSB's "updated" and the selection have not changed
  --dry-run      print the request plan; request no data and write nothing
  --status       list recent runs, loads and the reconciliation with SSB's published figures, and exit
  --source S     live (SSB_API_URL, default) or demo (the bundled synthetic data)
  -h, --help     this text

Environment: SSB_API_URL, KLASS_API_URL, DATABASE_PATH or DATABASE_URL, KOSTRA_SOURCE, LOG_LEVEL, LOG_FORMAT.
Exit code 0 only when every indicator was found and every table holding one loaded or was skipped as unchanged
(with --check: when every indicator resolves).`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        table: { type: 'string', multiple: true },
        check: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        status: { type: 'boolean', default: false },
        source: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
    }).values;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  // Loaded only now: zod, TypeORM and the pipeline take most of a second to load, and `--help` should answer at once.
  const [{ configOrExit }, { createLogger }, { openStore, storeOptions }, { resolveCatalogue, runEtl }, { createSources }, { loadCatalogue }] = await Promise.all([
    import('../core/config.js'), import('../core/log.js'), import('../db/store/index.js'), import('./pipeline.js'), import('./sources.js'),
    import('../core/source-catalogue/index.js'),
  ]);
  const config = configOrExit('etl');
  const kind = args.source ?? config.source;
  if (kind !== 'live' && kind !== 'demo') {
    process.stderr.write(`--source must be live or demo, but got: ${kind}\n`);
    return 2;
  }
  // The summary and progress bars speak for the run; the log adds only warnings unless LOG_LEVEL asks for more.
  const log = createLogger('etl', { ...config, logLevel: process.env.LOG_LEVEL ? config.logLevel : 'warn' });
  if (args.check) {
    // Touches no database: this is what an operator runs the first time the product meets SSB.
    const { source } = createSources(kind, config, { log });
    const { catalogue, serviceAreas } = loadCatalogue();
    const { maxDataCells } = await source.config();
    const check = await resolveCatalogue(source, { catalogue, serviceAreas, maxCells: maxDataCells });
    process.stdout.write(formatCheck(kind, check));
    return check.resolution.missing.every((m) => m.optional) && [...check.tables.values()].every((t) => t.kind !== 'failed') ? 0 : 1;
  }
  const store = await openStore(storeOptions(config)).catch((error: unknown) => {
    throw new Error(warehouseOpenProblem(config, error));
  });
  try {
    if (args.status) {
      process.stdout.write(await formatLoadStatus(store));
      return 0;
    }
    const { source, history } = createSources(kind, config, { log });
    const display = progressDisplay(Boolean(process.stderr.isTTY));
    const stop = new AbortController();
    const unwatch = watchParent((why) => {
      process.stderr.write(`etl: ${why}: stopping the run (the current table rolls back)\n`);
      stop.abort();
      // A request in flight may take its whole timeout; nobody is waiting for this run any more.
      setTimeout(() => process.exit(1), 30_000).unref();
    });
    let result: EtlRunResult;
    try {
      result = await runEtl({
        store, source, history, log, tables: args.table, force: args.force, dryRun: args['dry-run'], progress: display.progress, curatedDir: config.curatedDir,
        signal: stop.signal,
      });
    } finally {
      unwatch();
      display.stop();
    }
    process.stdout.write(args['dry-run'] ? formatPlan(result) : formatSummary(result));
    return result.ok ? 0 : 1;
  } finally {
    await store.close();
  }
}

/** Bars for requests and cells per table on a terminal; plain lines otherwise (logs, CI). */
function progressDisplay(tty: boolean): { progress: EtlProgress; stop(): void } {
  if (!tty) {
    return {
      progress: {
        tableStarted: (id, plan) => process.stderr.write(`table ${id}: ${plan.requests} request(s), ${plan.cells.toLocaleString('en')} cells planned\n`),
        tableFinished: (r) => process.stderr.write(`table ${r.tableId}: ${r.status}${r.error ? ` — ${r.error}` : ''}\n`),
      },
      stop() {},
    };
  }
  const multi = new cliProgress.MultiBar({
    format: ' {table} {what} |{bar}| {value}/{total}',
    clearOnComplete: false, hideCursor: true, stream: process.stderr,
  }, cliProgress.Presets.shades_classic);
  const bars = new Map<string, { requests: cliProgress.SingleBar; cells: cliProgress.SingleBar }>();
  return {
    progress: {
      tableStarted(id, plan) {
        bars.set(id, {
          requests: multi.create(plan.requests, 0, { table: id.padEnd(6), what: 'requests' }),
          cells: multi.create(plan.cells, 0, { table: id.padEnd(6), what: 'cells   ' }),
        });
      },
      requestDone(id, cells) {
        const b = bars.get(id);
        b?.requests.increment();
        b?.cells.increment(cells);
      },
    },
    stop: () => multi.stop(),
  };
}

function formatSummary(result: EtlRunResult): string {
  const rows = result.tables.map((r: TableResult) => [
    r.tableId, r.status, r.plan ? `${r.plan.requests}/${r.plan.lowerBound}` : '-', String(r.requests), String(r.retries),
    r.cells.toLocaleString('en'), r.inserted.toLocaleString('en'), r.updated.toLocaleString('en'), r.unchanged.toLocaleString('en'),
    r.removed.toLocaleString('en'), `${(r.durationMs / 1000).toFixed(1)}s`,
  ]);
  const header = ['table', 'status', 'data req/bound', 'requests', 'retries', 'cells', 'inserted', 'updated', 'unchanged', 'removed', 'time'];
  const numeric = new Set(header.map((_, i) => i).filter((i) => i >= 2));
  const recon = (result.reconciliation ?? []).map((r) => `  ${r.metric.padEnd(38)} ${String(r.agreed).padStart(7)} of ${String(r.checked).padEnd(7)} agree with ${r.published} (${r.checked ? ((100 * r.agreed) / r.checked).toFixed(2) : '-'} %)${r.notComputable ? `, ${r.notComputable} not computable` : ''}`);
  return [
    `ETL run ${result.runId} (${result.source}) ${result.ok ? 'succeeded' : 'did NOT complete'} in ${(result.durationMs / 1000).toFixed(1)} s`,
    ...formatTable(header, rows, numeric),
    ...(result.curated ? [`curated inputs: ${result.curated.changed ? 'loaded' : 'unchanged'}, ${result.curated.needIndexRows} need-index rows, ${result.curated.deflatorRows} deflator rows${result.curated.sources.some((s) => s.demo) ? ' (DEMO values)' : ''}`] : []),
    ...(recon.length ? ['reconciliation with SSB\'s published figures:', ...recon] : []),
    ...(result.problems.length ? ['problems:', ...result.problems.map((p) => `  - ${p}`)] : []),
    '',
  ].join('\n');
}

/** `--check`: per indicator where it was found (or what is missing), per table what would be loaded. */
function formatCheck(kind: string, check: CatalogueCheck): string {
  const { resolution } = check;
  const out = [`Catalogue check against ${kind === 'demo' ? 'the bundled demo data' : 'SSB'}: ${resolution.resolved.length} of ${resolution.resolved.length + resolution.missing.length} indicators resolved; nothing was written.`];
  const rows = resolution.resolved.map((r) => [r.key, r.tableId, r.concept ?? '', r.content, r.label, r.certainty, r.candidate === 0 ? '' : `candidate ${r.candidate + 1}`]);
  out.push(...formatTable(['indicator', 'table', 'concept', 'content', 'SSB label', 'certainty', 'note'], rows));
  for (const [key, passed] of resolution.passedOver) {
    out.push(`${key}: preferred source(s) passed over:`, ...passed.map((p) => `  - ${p.problem}`));
  }
  if (resolution.missing.length) {
    out.push('', 'NOT FOUND (fix core/source-catalogue/source-catalogue.json; the closest SSB labels are given):');
    for (const m of resolution.missing) out.push(`${m.key} (${m.label})${m.optional ? ' — optional: the run goes on without it; what needs it answers null with a reason' : ''}:`, ...m.tried.map((t) => `  - ${t.problem}`));
  }
  out.push('', 'Tables:');
  for (const t of check.tables.values()) {
    if (t.kind === 'prepared') out.push(`  ${t.table.id}: ${t.resolved.indicators.length} indicator(s), ${t.plan.cells.toLocaleString('en')} cells in ${t.plan.requests} request(s)${t.resolved.warnings.map((w) => `\n    warning: ${w}`).join('')}`);
    else if (t.kind === 'unused') out.push(`  ${t.table.id}: nothing taken from it (${t.reason})`);
    else out.push(`  ${t.table.id}: FAILED — ${t.error}`);
  }
  return [...out, ''].join('\n');
}

function formatPlan(result: EtlRunResult): string {
  const out: string[] = [`Request plan (${result.source}); nothing was requested or written.`];
  let total = 0;
  let bound = 0;
  for (const r of result.tables) {
    if (!r.plan) {
      out.push(`table ${r.tableId}: ${r.status}${r.error ? ` — ${r.error}` : ''}`);
      continue;
    }
    total += r.plan.requests;
    bound += r.plan.lowerBound;
    out.push(`table ${r.tableId}: ${r.plan.cells.toLocaleString('en')} cells, ${r.plan.requests} request(s) (lower bound ${r.plan.lowerBound}, limit ${r.plan.maxCells.toLocaleString('en')} cells each)`);
    r.plan.selections.forEach((sel, i) => {
      const cells = sel.reduce((n, s) => n * s.valueCodes.length, 1);
      out.push(`  #${i + 1} ${cells.toLocaleString('en')} cells: ${sel.map((s) => `${s.variableCode}[${s.valueCodes.length}]`).join(' × ')}`);
    });
  }
  out.push(`total: ${total} data request(s), lower bound ${bound}`, '');
  return out.join('\n');
}

main().then((code) => { process.exitCode = code; }, (error) => {
  process.stderr.write(`etl: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
