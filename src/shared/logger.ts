import pino from 'pino';

/** Structured JSON logs. Redaction is a second line of defence: nothing personal is logged on purpose. */
export function createLogger(level: string) {
  return pino({
    level,
    base: { service: 'haven' },
    redact: { paths: ['authorization', 'req.headers.authorization', '*.token', '*.variables'], censor: '[redacted]' },
  });
}
