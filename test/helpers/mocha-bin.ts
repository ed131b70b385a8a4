import path from 'node:path';
import { projectRoot } from '../../core/paths';

/** mocha's own entry point, run with this node (`npm test`'s passes start it as a child). */
export const MOCHA_BIN = path.join(projectRoot(), 'node_modules', 'mocha', 'bin', 'mocha.js');
