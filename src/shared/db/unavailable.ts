/** SQLSTATEs meaning the server is going away or cannot take the connection (not a fault in the statement). */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: terminating connection due to administrator command
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: the database system is starting up / shutting down
  '53300', // too_many_connections
]);
/** Socket errors reaching the server. */
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** pg and pg-pool raise these as plain Errors without a code. */
const UNAVAILABLE_MESSAGES = [
  /^timeout exceeded when trying to connect$/, // pg-pool: no connection free within connectionTimeoutMillis
  /^Connection terminated/, // pg: "unexpectedly", "due to connection timeout"
  /is not queryable$/, // pg: a client whose connection already failed or closed
  // TypeORM: the connection died inside a transaction (its 'error' event released the query runner), so the next
  // statement of that transaction cannot run; seen in test/failure/database-restart.failure.ts during a fast shutdown.
  /^Database connection provided by a query runner was already released/,
];

/**
 * True when `err` (or what it wraps: GraphQL's originalError, TypeORM's driverError, a cause, an AggregateError's
 * errors) says the database cannot be reached right now, rather than that a statement was wrong. Such a request is
 * answered 503 SERVICE_UNAVAILABLE and may be retried.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as { code?: unknown; message?: unknown; originalError?: unknown; driverError?: unknown; cause?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_ERRNOS.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((m) => m.test(e.message as string))) return true;
  const inner = [e.originalError, e.driverError, e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  return inner.some((i) => i !== err && isDatabaseUnavailable(i, depth + 1));
}
