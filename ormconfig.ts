/**
 * The TypeORM DataSource of the warehouse, for TypeORM's own CLI (`npx typeorm -d dist/ormconfig.js migration:run`):
 * DATABASE_URL's PostgreSQL, or else the file named by DATABASE_PATH (default db/kostra.sqlite), read through the project's configuration.
 */
import { loadConfig } from './core/config';
import { createDataSource } from './db/data-source';
import { storeOptions } from './db/store';

const dataSource = createDataSource(storeOptions(loadConfig()));
export default dataSource;
