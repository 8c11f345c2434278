import { migrate, readMigrations } from '../../src/db/migrate';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/test-database';

describe.each(DATABASE_KINDS)('migrations on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(() => database.drop());

  test('every committed migration is recorded once, in Prisma’s own table', async () => {
    const rows = await database.db.raw.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name',
    );
    const files = readMigrations();
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((m) => m.name));
    expect(rows.map((r) => r.checksum)).toEqual(files.map((m) => m.checksum));
  });

  test('running again applies nothing', async () => {
    expect(await migrate(database.db.raw)).toEqual([]);
  });

  test('two runners at once apply each migration once', async () => {
    const extra = { name: '99990101000000_concurrency_probe', sql: 'CREATE TABLE concurrency_probe (id int);', checksum: 'probe' };
    const all = [...readMigrations(), extra];
    const results = await Promise.all([migrate(database.db.raw, all), migrate(database.db.raw, all)]);
    expect(results.flat()).toEqual([extra.name]);
  });

  test('an edited migration is refused', async () => {
    const edited = readMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
    await expect(migrate(database.db.raw, edited)).rejects.toThrow('was edited after it was applied');
  });
});
