import { isIP } from 'node:net';
import path from 'node:path';

/** Express's `trust proxy`: a number of proxy hops, or the proxies' addresses / subnets. */
export type TrustProxy = number | string[] | 'loopback';

/** Every setting Haven reads, in one place (documented in README "Configuration"). */
export interface Config {
  env: 'production' | 'development' | 'test';
  port: number;
  databaseUrl?: string;
  dataDir: string;
  embeddedPgPort: number;
  poolMax: number;
  /**
   * Milliseconds a request waits for a pooled database connection before it is answered 503 (DB_POOL_ACQUIRE_TIMEOUT_MS,
   * default 2000). A healthy pool hands one over in milliseconds and a local connect takes tens; 2 s rides out a burst
   * yet sheds load long before the 15 s statement timeout or a client's own timeout, so a starved or absent database
   * gives quick, retryable failures instead of a growing queue.
   */
  poolAcquireTimeoutMs: number;
  /** A streaming read replica for the heavy reporting reads (DATABASE_REPLICA_URL); unset = the primary. */
  databaseReplicaUrl?: string;
  /** Connections in the replica's pool (DB_REPLICA_POOL_MAX). */
  replicaPoolMax: number;
  statementTimeoutMs: number;
  logLevel: string;
  oidcIssuer?: string;
  oidcAudience: string;
  oidcJwksUrl?: string;
  oidcEmailClaim: string;
  breakGlassMinutes: number;
  /** The council's 3-digit (old) LA code: <LEA> in the CIN census header. */
  laCode: string;
  /** Requests per minute to /graphql for one authenticated account (0 = no limit; off in tests unless set). */
  rateLimitPerMinute: number;
  /** Requests per minute to /graphql from one IP address without a valid token (0 = no limit; off in tests unless set). */
  rateLimitAnonymousPerMinute: number;
  /** Which proxies' X-Forwarded-For is believed: a hop count, or addresses/subnets (default: loopback only). */
  trustProxy: TrustProxy;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const laCode = env.HAVEN_LA_CODE ?? '201';
  if (!/^\d{3}$/.test(laCode)) throw new Error('HAVEN_LA_CODE must be a 3-digit LA code');
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  // The embedded PostgreSQL is for development: a production instance without a database must not start one.
  if (nodeEnv === 'production' && !env.DATABASE_URL) throw new Error('DATABASE_URL must be set in production');
  return {
    env: nodeEnv,
    port: Number(env.PORT ?? 4000),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.HAVEN_DATA_DIR ?? '.data'),
    embeddedPgPort: Number(env.EMBEDDED_PG_PORT ?? 54329),
    poolMax: Number(env.DB_POOL_MAX ?? 10),
    poolAcquireTimeoutMs: Number(env.DB_POOL_ACQUIRE_TIMEOUT_MS ?? 2000),
    databaseReplicaUrl: env.DATABASE_REPLICA_URL || undefined,
    replicaPoolMax: Number(env.DB_REPLICA_POOL_MAX ?? 5),
    statementTimeoutMs: Number(env.DB_STATEMENT_TIMEOUT_MS ?? 15000),
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    oidcIssuer: env.OIDC_ISSUER || undefined,
    oidcAudience: env.OIDC_AUDIENCE ?? 'haven',
    oidcJwksUrl: env.OIDC_JWKS_URL || undefined,
    oidcEmailClaim: env.OIDC_EMAIL_CLAIM ?? 'email',
    breakGlassMinutes: Number(env.BREAK_GLASS_MINUTES ?? 240),
    laCode,
    rateLimitPerMinute: rateLimit(env.HAVEN_RATE_LIMIT_PER_MINUTE, nodeEnv === 'test' ? 0 : 600, 'HAVEN_RATE_LIMIT_PER_MINUTE'),
    rateLimitAnonymousPerMinute: rateLimit(
      env.HAVEN_RATE_LIMIT_ANONYMOUS_PER_MINUTE,
      nodeEnv === 'test' ? 0 : 120,
      'HAVEN_RATE_LIMIT_ANONYMOUS_PER_MINUTE',
    ),
    trustProxy: trustProxy(env.HAVEN_TRUST_PROXY),
  };
}

/**
 * HAVEN_TRUST_PROXY: `loopback` (default), a number of proxy hops in front of Haven (e.g. `1` behind one load
 * balancer), or a comma-separated list of the balancers' addresses or subnets (`10.0.0.0/8, 192.168.1.5`). Trusting
 * every sender (`true`) is refused: any client could then choose its own address by sending X-Forwarded-For.
 */
function trustProxy(value: string | undefined): TrustProxy {
  const v = value?.trim();
  if (!v || v === 'loopback') return 'loopback';
  if (/^\d+$/.test(v)) return Number(v);
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  const valid = (entry: string) => {
    if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    if (!family || rest.length) return false;
    return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
  };
  if (!list.length || !list.every(valid)) {
    throw new Error('HAVEN_TRUST_PROXY must be `loopback`, a number of proxy hops, or a comma-separated list of addresses or subnets');
  }
  return list;
}

function rateLimit(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number of requests per minute (0 = no limit)`);
  return n;
}
