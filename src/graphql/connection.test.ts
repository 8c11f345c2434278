import { decodeCursor, encodeCursor, MAX_PAGE_SIZE, pageFromArray, pageRequest } from './connection';

const items = [10, 20, 30, 40, 50].map((id) => ({ id }));
const codes = (page: { edges: Array<{ node: { id: number } }> }) => page.edges.map((e) => e.node.id);

describe('pageFromArray', () => {
  test('first page, then the next from its end cursor', () => {
    const first = pageFromArray(items, { first: 2 }, (i) => i.id);
    expect(codes(first)).toEqual([10, 20]);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = pageFromArray(items, { first: 2, after: first.pageInfo.endCursor }, (i) => i.id);
    expect(codes(second)).toEqual([30, 40]);
    expect(second.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const third = pageFromArray(items, { first: 2, after: second.pageInfo.endCursor }, (i) => i.id);
    expect(codes(third)).toEqual([50]);
    expect(third.pageInfo.hasNextPage).toBe(false);
  });

  test('last and before page backwards', () => {
    const last = pageFromArray(items, { last: 2 }, (i) => i.id);
    expect(codes(last)).toEqual([40, 50]);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const before = pageFromArray(items, { last: 2, before: last.pageInfo.startCursor }, (i) => i.id);
    expect(codes(before)).toEqual([20, 30]);
    expect(before.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });

  test('cursors are stable keys: an item inserted earlier does not shift the next page', () => {
    const first = pageFromArray(items, { first: 2 }, (i) => i.id);
    const grown = [{ id: 5 }, ...items];
    expect(codes(pageFromArray(grown, { first: 2, after: first.pageInfo.endCursor }, (i) => i.id))).toEqual([30, 40]);
  });

  test('counts the whole list', async () => {
    expect(await pageFromArray(items, { first: 1 }, (i) => i.id).countItems()).toBe(5);
  });
});

describe('pageRequest', () => {
  test('defaults to 20 forwards', () => {
    expect(pageRequest({})).toEqual({ size: 20, backward: false, afterKey: null, beforeKey: null });
  });
  test.each([{ first: MAX_PAGE_SIZE + 1 }, { last: 1000 }, { first: -1 }, { first: 1, last: 1 }])('refuses %j', (args) => {
    expect(() => pageRequest(args)).toThrow();
  });
  test('cursors decode only when they are ours', () => {
    expect(decodeCursor(encodeCursor(17), 'after')).toBe('17');
    expect(() => decodeCursor(Buffer.from('other:1').toString('base64url'), 'after')).toThrow('is not a cursor from this list');
  });
});
