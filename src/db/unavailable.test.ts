import { GraphQLError, locatedError } from 'graphql';
import { classifyDatabaseError } from './unavailable';

/** What graphql-js makes of a resolver that throws a non-Error: its NonErrorThrown, holding the value. */
const toNonErrorThrown = (value: unknown): Error => locatedError(value, undefined).originalError as Error;

describe('classifyDatabaseError', () => {
  test('a server that is away, closed the connection, or is full is unavailable', () => {
    expect(classifyDatabaseError(Object.assign(new Error('x'), { code: 'P1001' }))).toBe('unavailable');
    expect(classifyDatabaseError(Object.assign(new Error('x'), { code: 'P1017' }))).toBe('unavailable');
    expect(classifyDatabaseError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe('unavailable');
    expect(classifyDatabaseError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe('unavailable');
    expect(classifyDatabaseError(new Error('timeout exceeded when trying to connect'))).toBe('unavailable');
    expect(classifyDatabaseError(new Error('Connection terminated unexpectedly'))).toBe('unavailable');
    const adapter = Object.assign(new Error('x'), { code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'postgres', originalCode: '08006' } } } });
    expect(classifyDatabaseError(adapter)).toBe('unavailable');
  });

  test('found through GraphQL and cause wrappers', () => {
    const inner = Object.assign(new Error('x'), { code: 'ECONNRESET' });
    expect(classifyDatabaseError({ originalError: { cause: inner } })).toBe('unavailable');
  });

  test('found inside graphql-js NonErrorThrown (a driver error that is not an Error of its realm)', () => {
    const thrown = new GraphQLError('Unexpected error value', { originalError: toNonErrorThrown({ errno: -111, code: 'ECONNREFUSED', syscall: 'connect' }) });
    expect(classifyDatabaseError(thrown)).toBe('unavailable');
  });

  test('a statement past statement_timeout is a timeout', () => {
    expect(classifyDatabaseError(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }))).toBe('timeout');
    expect(classifyDatabaseError({ meta: { driverAdapterError: { cause: { kind: 'postgres', originalCode: '57014' } } } })).toBe('timeout');
  });

  test('anything else (constraint violations, bugs) is not classified', () => {
    expect(classifyDatabaseError(Object.assign(new Error('Unique constraint failed'), { code: 'P2002' }))).toBeNull();
    expect(classifyDatabaseError(new TypeError('undefined is not a function'))).toBeNull();
    expect(classifyDatabaseError(null)).toBeNull();
    expect(classifyDatabaseError('string')).toBeNull();
  });
});
