import type { Logger } from '../core/log';

/**
 * SIGTERM / SIGINT end the process cleanly, once: `announce` says what stopping involves, `stop` does it in order,
 * and the process exits 0 ("stopped cleanly") or 1 (an error while stopping, or over 25 s). Returns whether a stop
 * has begun, for a start that is still going on (it must not announce "ready" after).
 */
export function stopOnSignals(log: Logger, announce: (signal: string) => void, stop: () => Promise<void>): () => boolean {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    announce(signal);
    const deadline = setTimeout(() => { log.error('shutdown took over 25 s; exiting'); process.exit(1); }, 25_000);
    deadline.unref();
    try {
      await stop();
      log.info('stopped cleanly');
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'error while stopping');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  return () => stopping;
}
