/**
 * One-line explanations for the failures an operator meets when starting a process: the database file and the
 * listening port. Each names the variable that chose the thing, the value, what is wrong and what to do, because the
 * person reading it is looking at a service that will not start, not at this code.
 */

/** Why DATABASE_PATH could not be opened, migrated or written, from SQLite's (or the file system's) error. */
export function databaseOpenProblem(file: string, error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const where = `DATABASE_PATH "${file}"`;
  if (code === 'SQLITE_NOTADB' || /file is not a database/i.test(message)) {
    return `${where} is not a SQLite database (its content is garbage or from another program): restore the warehouse from a backup, or move the file away to start with an empty warehouse (the first start loads it again)`;
  }
  if (code.startsWith('SQLITE_CORRUPT') || /malformed|truncated/i.test(message)) {
    return `${where} is damaged (${message}; a truncated copy or a disk fault): restore the warehouse from a backup, or move the file away to start with an empty warehouse (the first start loads it again)`;
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'EACCES' || code === 'EROFS' || /readonly|read-only/i.test(message)) {
    return `${where} cannot be written (${message}): the server and the ETL write to it (load and run records, the WAL file beside it), so give this user write permission on the file and its folder, or point DATABASE_PATH at a writable copy`;
  }
  if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC' || /disk is full|no space/i.test(message)) {
    return `${where} cannot grow: the disk is full (${message}); free space on its file system or move the warehouse`;
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'ENOENT') {
    return `${where} cannot be opened (${message}): check that the path names a file this user may read and write`;
  }
  return `${where} could not be opened and migrated: ${message.split('\n')[0]}`;
}

/** Why the configured warehouse could not be opened: DATABASE_URL's server (password hidden), or DATABASE_PATH's file. */
export function warehouseOpenProblem(config: { databasePath: string; databaseUrl: string | null }, error: unknown): string {
  if (!config.databaseUrl) return databaseOpenProblem(config.databasePath, error);
  const message = (error as { message?: unknown })?.message;
  const url = config.databaseUrl.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  return `DATABASE_URL "${url}" could not be opened and migrated: ${(typeof message === 'string' ? message : String(error)).split('\n')[0]}; check that the server runs, the database exists and this user may create tables in it`;
}

/** Why the server could not listen on PORT (and HOST). */
export function listenProblem(port: number, host: string, error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  const where = `PORT ${port}${host ? ` on HOST ${host}` : ''}`;
  if (code === 'EADDRINUSE') return `${where} is already in use by another process: stop that process or set PORT to a free port (PORT=0 picks one)`;
  if (code === 'EACCES') return `${where} needs privileges this user does not have (ports below 1024): set PORT to 1024 or above`;
  if (code === 'EADDRNOTAVAIL') return `${where}: HOST is not an address of this machine; use 0.0.0.0 (every interface) or 127.0.0.1`;
  return `${where} could not be listened on: ${(error as Error)?.message ?? String(error)}`;
}

/** Ends a process that cannot start: the one-line problem on stderr, exit code 1 (no stack trace: it is not a bug). */
export function exitWith(program: string, problem: string): never {
  process.stderr.write(`${program}: ${problem}\n`);
  process.exit(1);
}
