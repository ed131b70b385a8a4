import fs from 'node:fs';
import path from 'node:path';

/** The repository root: the nearest folder above this file holding package.json (works from src and dist). */
export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

export const DEFAULT_DATABASE_PATH = path.join('db', 'kostra.sqlite');

/** `DATABASE_PATH` (relative paths are taken from the project root) or db/kostra.sqlite. */
export function databasePath(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.DATABASE_PATH?.trim();
  if (configured === ':memory:') return configured;
  return path.resolve(projectRoot(), configured || DEFAULT_DATABASE_PATH);
}
