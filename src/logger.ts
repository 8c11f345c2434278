import pino from 'pino';

/** Structured JSON logs; one logger for the process, children carry the request id. */
export function createLogger(level: string): pino.Logger {
  return pino({ level, base: { service: 'relational-care-graph' } });
}

export type Logger = pino.Logger;
