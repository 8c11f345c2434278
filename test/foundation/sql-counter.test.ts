import { createTestDatabase, DATABASE_KINDS } from '../support/test-database';
import { withSqlCounter } from '../../src/db/sql-counter';

describe.each(DATABASE_KINDS)('the SQL counter on raw SQL on %s', (kind) => {
  test('each raw query of a request counts once (in a transaction too); the readiness ping and statements outside a request do not', async () => {
    const database = await createTestDatabase(kind);
    const { db } = database;
    try {
      const counter = { statements: 0 };
      await withSqlCounter(counter, async () => {
        await db.raw.query('SELECT 1');
        await db.raw.transaction(async (tx) => {
          await tx.query('SELECT $1::int AS n', [2]);
        });
        await db.ping();
      });
      expect(counter.statements).toBe(2);
      await db.raw.query('SELECT 3');
      expect(counter.statements).toBe(2);
    } finally {
      await database.drop();
    }
  });
});
