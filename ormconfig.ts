/**
 * The TypeORM DataSource of the warehouse (SQLite through better-sqlite3; file from DATABASE_PATH, default
 * db/kostra.sqlite). Exported as default so TypeORM's CLI can use it: `npx typeorm -d dist/ormconfig.js migration:run`.
 */
import { createDataSource } from './db/data-source';

const dataSource = createDataSource();
export default dataSource;
