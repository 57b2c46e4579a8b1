import pino from 'pino';

/** Structured JSON logs. Redaction is a second line of defence: nothing personal is logged on purpose. */
export function createLogger(level: string) {
  return pino({
    level,
    base: { service: 'haven' },
    redact: { paths: ['authorization', 'req.headers.authorization', '*.token', '*.variables'], censor: '[redacted]' },
  });
}

/**
 * What of an unexpected error goes to the log: its class, code, message and stack, never the SQL parameters, row values
 * or request bodies that driver and parser errors carry (they can be personal data).
 */
export function safeError(err: unknown) {
  const e = err as { name?: string; message?: string; code?: string; stack?: string };
  return { type: e.name, code: e.code, message: e.message, stack: e.stack };
}
