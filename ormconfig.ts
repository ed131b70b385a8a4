/**
 * The TypeORM DataSource of the warehouse, for TypeORM's own CLI (`npx typeorm -d dist/ormconfig.js migration:run`):
 * the file named by DATABASE_PATH (default db/kostra.sqlite), read through the project's configuration.
 */
import { loadConfig } from './core/config';
import { createDataSource } from './db/data-source';

const dataSource = createDataSource({ path: loadConfig().databasePath });
export default dataSource;
