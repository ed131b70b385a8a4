import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs for operators and log shippers; `LOG_FORMAT=pretty` (or an interactive terminal) prints
 * them readably. `LOG_LEVEL` sets the level (default info; `silent` in tests).
 */
export function createLogger(name: string, env: NodeJS.ProcessEnv = process.env): Logger {
  const level = env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info');
  const pretty = env.LOG_FORMAT ? env.LOG_FORMAT === 'pretty' : Boolean(process.stdout.isTTY);
  return pino({
    name,
    level,
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
  });
}

/** A logger that drops everything, for library use without a caller-supplied logger. */
export const silentLogger: Logger = pino({ level: 'silent' });
