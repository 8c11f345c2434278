import { idListCount, idListWindow, type IdListSql, type RunSql } from './sql-pages';

/** A RunSql that records each statement and answers `rows`. */
function recorder(rows: unknown[]) {
  const sent: Array<{ sql: string; params: unknown[] }> = [];
  const run: RunSql = async <Row>(sql: string, params: unknown[]) => {
    sent.push({ sql, params: [...params] });
    return rows as Row[];
  };
  return { run, sent };
}

const list: IdListSql = { columns: 'm.id, m.code', from: 'measure m', id: 'm.id', where: (params) => `m.audience = $${params.push('STAFF')}` };

describe('a list paged by id in SQL', () => {
  test('a window puts its bounds after the list condition, then its order and size, numbering parameters on', async () => {
    const { run, sent } = recorder([]);
    await idListWindow(run, list, { idGt: 10, idLt: 20, order: 'desc', take: 6 });
    await idListWindow(run, list, { order: 'asc', take: 3 });
    expect(sent).toEqual([
      { sql: 'SELECT m.id, m.code FROM measure m WHERE m.audience = $1 AND m.id > $2 AND m.id < $3 ORDER BY m.id DESC LIMIT $4', params: ['STAFF', 10, 20, 6] },
      { sql: 'SELECT m.id, m.code FROM measure m WHERE m.audience = $1 ORDER BY m.id ASC LIMIT $2', params: ['STAFF', 3] },
    ]);
  });

  test('the count reads the same condition, and a driver’s bigint or string count comes back a number', async () => {
    for (const n of [7, '7', 7n]) {
      const { run, sent } = recorder([{ n }]);
      expect(await idListCount(run, list)).toBe(7);
      expect(sent).toEqual([{ sql: 'SELECT count(*)::int AS n FROM measure m WHERE m.audience = $1', params: ['STAFF'] }]);
    }
    expect(await idListCount(recorder([]).run, list)).toBe(0);
  });
});
