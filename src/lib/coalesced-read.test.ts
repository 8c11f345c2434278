import { coalescedRead } from './coalesced-read';

describe('coalescedRead', () => {
  test('callers who ask before the read starts share it; one who asks after it started gets a later read', async () => {
    let reads = 0;
    let value = 'v1';
    const starts: string[] = [];
    const read = coalescedRead(async () => {
      reads += 1;
      starts.push(value);
      return value;
    });
    const [a, b, c] = await Promise.all([read(), read(), read()]);
    expect([a, b, c, reads]).toEqual(['v1', 'v1', 'v1', 1]);

    // a write lands while the next read is in flight: a caller that asked after the read
    // started must not be given it, but a read started after its own request
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = coalescedRead(async () => {
      reads += 1;
      const seen = value;
      await gate;
      return seen;
    });
    const first = slow();
    await new Promise((resolve) => setImmediate(resolve)); // the first read has started (and seen v1)
    value = 'v2'; // committed after it started
    const second = slow();
    release();
    expect(await first).toBe('v1');
    expect(await second).toBe('v2');
    expect(reads).toBe(3);
  });

  test('a failed read fails every caller that joined it, and the next call reads again', async () => {
    let fail = true;
    const read = coalescedRead(async () => {
      if (fail) throw new Error('database away');
      return 'ok';
    });
    const results = await Promise.allSettled([read(), read()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(read()).resolves.toBe('ok');
  });
});
