import { GraphQLError } from 'graphql';
import pino from 'pino';
import { makeFormatError } from './format-error';
import { newRequestState, requestStateStorage } from './request-state';

/** A logger that keeps its lines, to check what the server log gets. */
function memoryLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

function located(original: Error): GraphQLError {
  return new GraphQLError(original.message, { path: ['measure'], originalError: original });
}

describe('formatError', () => {
  test('an unexpected error is masked: no message, no stack; the log has it under the request id', () => {
    const { logger, lines } = memoryLogger();
    const format = makeFormatError(logger, false);
    const state = newRequestState('req-123456789', { statements: 0 });
    const secret = new Error('relation "secret_table" does not exist at /srv/app/x.ts:10');
    const error = located(secret);
    const formatted = requestStateStorage.run(state, () =>
      format({ message: secret.message, path: ['measure'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } }, error),
    );
    expect(formatted).toEqual({ message: 'Internal server error', path: ['measure'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-123456789' } });
    expect(JSON.stringify(formatted)).not.toContain('secret_table');
    expect(lines.find((l) => l.msg === 'unexpected error')).toMatchObject({ requestId: 'req-123456789', err: { message: secret.message } });
    expect(state.errorCodes).toEqual(['INTERNAL_SERVER_ERROR']);
  });

  test('an error with no code, or an unknown code, is masked too', () => {
    const format = makeFormatError(memoryLogger().logger);
    expect(format({ message: 'x' }, new GraphQLError('x')).extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(format({ message: 'x', extensions: { code: 'P2002' } }, new GraphQLError('x')).message).toBe('Internal server error');
  });

  test('client codes pass with their message, never with a stack trace', () => {
    const format = makeFormatError(memoryLogger().logger);
    const formatted = format({ message: 'No such measure', extensions: { code: 'NOT_FOUND', stacktrace: ['Error: at secret.ts'] } }, new GraphQLError('No such measure'));
    expect(formatted).toEqual({ message: 'No such measure', extensions: { code: 'NOT_FOUND' } });
  });

  test('a database that is away is SERVICE_UNAVAILABLE; a statement timeout is REQUEST_TIMEOUT', () => {
    const format = makeFormatError(memoryLogger().logger);
    const unreachable = Object.assign(new Error("Can't reach database server at 10.0.0.1:5432"), { code: 'P1001' });
    expect(format({ message: unreachable.message }, located(unreachable))).toMatchObject({
      message: 'The database is unavailable; try again shortly',
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
    const cancelled = Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });
    expect(format({ message: cancelled.message }, located(cancelled)).extensions?.code).toBe('REQUEST_TIMEOUT');
  });

  test('too many tokens keeps its own code rather than GRAPHQL_PARSE_FAILED', () => {
    const format = makeFormatError(memoryLogger().logger);
    const message = 'Syntax Error: Document contains more that 10 tokens. Parsing aborted.';
    expect(format({ message, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }, new GraphQLError(message)).extensions?.code).toBe('TOO_MANY_TOKENS');
  });

  test('in production, "Did you mean" hints are removed from every message', () => {
    const format = makeFormatError(memoryLogger().logger, true);
    const cases = [
      'Cannot query field "nme" on type "Principle". Did you mean "name"?',
      'Unknown argument "frist" on field "Query.orgUnits". Did you mean "first"?',
      'Value "ADMN" does not exist in "Role" enum. Did you mean the enum value "ADMIN"?',
      'Unknown type "OrgUnt". Did you mean "OrgUnit", "OrgUnitType", or "OrgUnitEdge"?',
    ];
    for (const message of cases) {
      const formatted = format({ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, new GraphQLError(message));
      expect(formatted.message).not.toMatch(/Did you mean/);
      expect(formatted.message).not.toMatch(/"(name|first|ADMIN|OrgUnit)"/);
    }
    const development = makeFormatError(memoryLogger().logger, false);
    expect(development({ message: cases[0], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, new GraphQLError(cases[0])).message).toContain('Did you mean');
  });
});
