import pino, { type Logger } from 'pino';
import type { AppConfig } from './config';

export type { Logger };

/**
 * Structured JSON logs for operators and log shippers; `LOG_FORMAT=pretty` (or an interactive terminal) prints
 * them readably. The level and format come from the validated configuration.
 */
export function createLogger(name: string, config: Pick<AppConfig, 'logLevel' | 'logFormat'>): Logger {
  const pretty = config.logFormat ? config.logFormat === 'pretty' : Boolean(process.stdout.isTTY);
  return pino({
    name,
    level: config.logLevel,
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
  });
}

/** A logger that drops everything, for library use without a caller-supplied logger. */
export const silentLogger: Logger = pino({ level: 'silent' });
