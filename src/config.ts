import path from 'node:path';

/** Every setting Haven reads, in one place (documented in README "Configuration"). */
export interface Config {
  env: 'production' | 'development' | 'test';
  port: number;
  databaseUrl?: string;
  dataDir: string;
  embeddedPgPort: number;
  poolMax: number;
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
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const laCode = env.HAVEN_LA_CODE ?? '201';
  if (!/^\d{3}$/.test(laCode)) throw new Error('HAVEN_LA_CODE must be a 3-digit LA code');
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  return {
    env: nodeEnv,
    port: Number(env.PORT ?? 4000),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.HAVEN_DATA_DIR ?? '.data'),
    embeddedPgPort: Number(env.EMBEDDED_PG_PORT ?? 54329),
    poolMax: Number(env.DB_POOL_MAX ?? 10),
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
  };
}

function rateLimit(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number of requests per minute (0 = no limit)`);
  return n;
}
