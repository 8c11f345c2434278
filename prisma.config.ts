// Prisma CLI configuration. The CLI runs fully offline only with its JavaScript engines
// and a driver adapter (see README "Migrations"); an in-memory PGlite serves `generate`
// and `migrate diff`, which need no real database. Migrations are applied by our own
// runner (src/db/migrate.ts) so the same SQL files serve PGlite and PostgreSQL.
import { defineConfig } from 'prisma/config';

process.env.DATABASE_URL ??= 'postgresql://prisma-cli@localhost/unused';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  adapter: async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const { PrismaPGlite } = await import('pglite-prisma-adapter');
    return new PrismaPGlite(new PGlite());
  },
});
