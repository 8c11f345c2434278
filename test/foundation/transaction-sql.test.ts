import { createTestDatabase, DATABASE_KINDS } from '../support/test-database';
import { transactionWithDriver } from '../../src/db/transaction-sql';
import { withSqlCounter } from '../../src/db/sql-counter';

describe.each(DATABASE_KINDS)('raw SQL on a transaction’s own connection on %s', (kind) => {
  test('it is the fast path, inside the transaction: a rollback undoes it, and each statement is counted', async () => {
    const database = await createTestDatabase(kind);
    const prisma = database.db.prisma;
    try {
      await prisma.$executeRawUnsafe('CREATE TABLE tx_sql_probe (n int PRIMARY KEY)');
      const counter = { statements: 0 };
      let direct = false;
      await expect(
        withSqlCounter(counter, () =>
          transactionWithDriver(
            prisma,
            async (tx, sql) => {
              direct = sql.direct;
              const before = counter.statements;
              await sql.execute('INSERT INTO tx_sql_probe (n) SELECT (r->>0)::int FROM jsonb_array_elements($1::jsonb) AS r', JSON.stringify([[1], [2]]));
              // Prisma's client on the same transaction sees the driver's write, and the driver sees Prisma's.
              await tx.$executeRawUnsafe('INSERT INTO tx_sql_probe (n) VALUES (3)');
              const rows = await sql.query<{ n: number }>('SELECT n FROM tx_sql_probe ORDER BY n');
              // Each statement counted once: the two on the driver and the one through Prisma.
              expect(counter.statements - before).toBe(3);
              expect(rows.map((r) => Number(r.n))).toEqual([1, 2, 3]);
              throw new Error('roll back');
            },
            { timeout: 10_000, maxWait: 5_000 },
          ),
        ),
      ).rejects.toThrow('roll back');
      expect(direct).toBe(true);
      expect(await prisma.$queryRawUnsafe<Array<{ n: number }>>('SELECT n FROM tx_sql_probe')).toEqual([]);
    } finally {
      await database.drop();
    }
  });

  test('a unique violation on the driver connection carries SQLSTATE 23505, which runMutation answers as a CONFLICT user error', async () => {
    const database = await createTestDatabase(kind);
    const prisma = database.db.prisma;
    try {
      await prisma.$executeRawUnsafe('CREATE TABLE tx_sql_unique (n int PRIMARY KEY)');
      const failure = await transactionWithDriver(
        prisma,
        async (_tx, sql) => {
          await sql.execute('INSERT INTO tx_sql_unique (n) VALUES ($1)', 1);
          await sql.execute('INSERT INTO tx_sql_unique (n) VALUES ($1)', 1);
        },
        { timeout: 10_000, maxWait: 5_000 },
      ).catch((error: unknown) => error);
      expect((failure as { code?: string }).code).toBe('23505');
      expect(await prisma.$queryRawUnsafe<unknown[]>('SELECT n FROM tx_sql_unique')).toEqual([]);
    } finally {
      await database.drop();
    }
  });
});
