import { loadConfig } from '../config';
import { openDatabase } from './database';

describe('the embedded database settings', () => {
  test('shared_buffers is 16MB by default and PGLITE_SHARED_BUFFERS changes it', async () => {
    expect(loadConfig({}).pgliteSharedBuffers).toBe('16MB');
    for (const [size, expected] of [[undefined, '16MB'], ['24MB', '24MB']] as const) {
      const db = await openDatabase({ databaseUrl: null, dataDir: 'memory://', pgliteSharedBuffers: size ?? loadConfig({}).pgliteSharedBuffers });
      try {
        const rows = await db.raw.query<{ shared_buffers: string }>('SHOW shared_buffers');
        expect(rows[0].shared_buffers).toBe(expected);
        // The defaults PGlite starts with are kept beside the appended setting.
        const path = await db.raw.query<{ search_path: string }>('SHOW search_path');
        expect(path[0].search_path).toBe('public');
      } finally {
        await db.close();
      }
    }
  });

  test('a size PostgreSQL would refuse is refused at configuration', () => {
    expect(() => loadConfig({ PGLITE_SHARED_BUFFERS: '16 megabytes' })).toThrow(/PGLITE_SHARED_BUFFERS must be a size/);
    expect(loadConfig({ PGLITE_SHARED_BUFFERS: '64MB' }).pgliteSharedBuffers).toBe('64MB');
  });
});
