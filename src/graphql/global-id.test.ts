import { decodeGlobalId, encodeGlobalId, expectGlobalId } from './global-id';

describe('global ids', () => {
  test('round-trip a type and id, and are opaque', () => {
    const id = encodeGlobalId('OrgUnit', 42);
    expect(id).toBe(Buffer.from('OrgUnit:42').toString('base64url'));
    expect(id).not.toContain('OrgUnit');
    expect(decodeGlobalId(id)).toEqual({ typeName: 'OrgUnit', id: '42' });
  });

  test.each(['', 'has spaces', '!!!', Buffer.from('OrgUnit:').toString('base64url'), Buffer.from('orgunit:1').toString('base64url'), Buffer.from('OrgUnit:1;drop').toString('base64url'), 'x'.repeat(300)])(
    'reject malformed id %j',
    (bad) => {
      expect(decodeGlobalId(bad)).toBeNull();
    },
  );

  test('expectGlobalId insists on the type', () => {
    expect(expectGlobalId(encodeGlobalId('Measure', 7), 'Measure')).toBe(7);
    expect(() => expectGlobalId(encodeGlobalId('OrgUnit', 7), 'Measure')).toThrow('is not a valid Measure ID');
  });

  // Ids are a contract with clients: these were issued before and must keep their bytes and
  // meaning. graphql-relay's toGlobalId pads standard base64 ("TWVhc3VyZToxMg=="), and its
  // fromGlobalId decodes unpadded input to nothing, so it cannot replace these (README "Operations").
  test.each([
    ['T3JnVW5pdDox', 'OrgUnit', 1],
    ['TWVhc3VyZToxMg', 'Measure', 12],
    ['UGVyc29uOjEyMw', 'Person', 123],
    ['T2JzZXJ2YXRpb246MTIzNDU2', 'Observation', 123456],
  ])('an id issued before, %s, is still %s %i and still encoded so', (issued, typeName, id) => {
    expect(encodeGlobalId(typeName, id)).toBe(issued);
    expect(decodeGlobalId(issued)).toEqual({ typeName, id: String(id) });
    expect(issued).not.toMatch(/=/); // no padding, ever
  });

  test('a padded (graphql-relay style) id is refused, not read as another id', () => {
    expect(decodeGlobalId('TWVhc3VyZToxMg==')).toBeNull();
  });
});
