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
});
