import { expect } from 'chai';
import { warehouseOpenProblem } from '../../core/startup-errors';

describe('warehouseOpenProblem: why the configured warehouse could not be opened', () => {
  it('names DATABASE_URL with its password hidden, the server\'s first line, and what to check', () => {
    const problem = warehouseOpenProblem(
      { databasePath: '/unused.sqlite', databaseUrl: 'postgres://kostra:s3cret@db.example:5432/kostra' },
      new Error('connect ECONNREFUSED 10.0.0.5:5432\n    at TCPConnectWrap'),
    );
    expect(problem).to.equal('DATABASE_URL "postgres://kostra:***@db.example:5432/kostra" could not be opened and migrated: connect ECONNREFUSED 10.0.0.5:5432; check that the server runs, the database exists and this user may create tables in it');
    expect(problem).to.not.contain('s3cret');
  });

  it('names DATABASE_PATH when no URL is set (the SQLite file\'s own explanation)', () => {
    const problem = warehouseOpenProblem({ databasePath: '/data/w.sqlite', databaseUrl: null }, Object.assign(new Error('file is not a database'), { code: 'SQLITE_NOTADB' }));
    expect(problem).to.match(/^DATABASE_PATH "\/data\/w\.sqlite" is not a SQLite database/);
  });
});
