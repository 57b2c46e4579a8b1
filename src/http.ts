import { randomUUID } from 'node:crypto';
import express, { NextFunction, Request, Response } from 'express';
import { expressMiddleware } from '@as-integrations/express5';
import { GraphQLError } from 'graphql';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Haven } from './app';
import type { TrustProxy } from './config';
import type { Metrics } from './shared/metrics';
import { safeError } from './shared/logger';
import { ErrorCode, RETRY_AFTER_SECONDS, serviceUnavailable } from './shared/errors';
import { isDatabaseUnavailable } from './shared/db/unavailable';

const REQUEST_ID = /^[A-Za-z0-9-]{8,64}$/;

export interface RateLimits {
  /** Requests a minute for one authenticated account (0 = no limit). */
  perMinute: number;
  /** Requests a minute from one IP address without a valid token (0 = no limit). */
  anonymousPerMinute: number;
}

/**
 * Per-account rate limiting on /graphql: a request with a valid bearer token counts against its account (wherever it
 * comes from), anything else against its IP address. Excess gets 429 with `RATE_LIMITED` and Retry-After, before the
 * body is read. The counters are in this process's memory: behind a load balancer each instance counts on its own.
 */
function graphqlRateLimit(haven: Haven, limits: RateLimits, log: Logger) {
  const accountOf = async (req: Request, res: Response): Promise<string | undefined> => {
    if (res.locals.rateKey !== undefined) return res.locals.rateKey as string | undefined;
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(req.headers.authorization ?? '');
    // Kept for the request's context, so that the token is verified once.
    res.locals.principal = match ? haven.verifier.verify(match[1]).catch(() => null) : undefined;
    const principal = await res.locals.principal;
    const id = principal?.accountId ?? principal?.email;
    res.locals.rateKey = id ? `account:${id}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
    return res.locals.rateKey as string;
  };
  return rateLimit({
    windowMs: 60_000,
    limit: async (req, res) => ((await accountOf(req, res))!.startsWith('account:') ? limits.perMinute : limits.anonymousPerMinute),
    // A limit of 0 means "no limit" here (express-rate-limit would refuse everything). With both off, the token is not
    // verified here at all (the context verifies it once).
    skip: async (req, res) =>
      (limits.perMinute === 0 && limits.anonymousPerMinute === 0) ||
      ((await accountOf(req, res))!.startsWith('account:') ? limits.perMinute : limits.anonymousPerMinute) === 0,
    keyGenerator: async (req, res) => (await accountOf(req, res))!,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, res, _next, options) => {
      const reset = (_req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfter = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + options.windowMs) - Date.now()) / 1000));
      res.setHeader('retry-after', String(retryAfter));
      log.warn({ requestId: res.locals.requestId, by: String(res.locals.rateKey).split(':')[0] }, 'rate limited');
      res.status(429).json({
        errors: [
          {
            message: 'Too many requests: try again later',
            extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter, requestId: res.locals.requestId },
          },
        ],
      });
    },
  });
}

/**
 * The HTTP surface: /graphql (rate limited per account, 1 MB body limit), /healthz (process up), /readyz (database answers), /metrics, and the
 * streamed CIN census export.
 * Logs carry the request id, operation name, status and duration: never variables, tokens or record contents.
 */
export function createHttpApp(
  haven: Haven,
  db: DataSource,
  log: Logger,
  metrics: Metrics,
  limits: RateLimits = { perMinute: 0, anonymousPerMinute: 0 },
  trustProxy: TrustProxy = 'loopback',
) {
  const app = express();
  app.disable('x-powered-by');
  // Whose X-Forwarded-For to believe (the client address for the anonymous rate limit and the logs): HAVEN_TRUST_PROXY.
  app.set('trust proxy', trustProxy);

  app.use((req: Request, res: Response, next: NextFunction) => {
    const given = req.header('x-request-id');
    const id = given && REQUEST_ID.test(given) ? given : randomUUID();
    res.locals.requestId = id;
    res.setHeader('x-request-id', id);
    const started = process.hrtime.bigint();
    const path = req.path;
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const operation = (res.locals.operation as string | undefined) ?? null;
      if (path === '/graphql') {
        metrics.duration.labels(operation ?? 'anonymous').observe(ms / 1000);
        metrics.requests.labels(operation ?? 'anonymous', res.statusCode < 400 ? 'ok' : 'error').inc();
      }
      if (path !== '/healthz' && path !== '/metrics') {
        log.info({ requestId: id, method: req.method, path, status: res.statusCode, ms: Math.round(ms), operation }, 'request');
      }
    });
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Ready while the primary answers. A read replica, when configured, is reported but does not decide readiness: only
  // reporting needs it (503 there while it is away), and every instance shares it (see reporting-db.ts).
  app.get('/readyz', async (_req, res) => {
    try {
      const [, replica] = await Promise.all([withTimeout(db.query('SELECT 1'), 2000), haven.reports.replicaStatus(2000)]);
      res.json({ status: 'ready', ...(replica ? { replica } : {}) });
    } catch {
      res.status(503).json({ status: 'database unavailable' });
    }
  });

  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });

  app.use(
    '/graphql',
    graphqlRateLimit(haven, limits, log),
    express.json({ limit: '1mb' }),
    (req: Request, res: Response, next: NextFunction) => {
      const name = (req.body as { operationName?: unknown } | undefined)?.operationName ?? req.query.operationName;
      if (typeof name === 'string' && /^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) res.locals.operation = name;
      next();
    },
    expressMiddleware(haven.apollo, {
      context: async ({ req, res }) => {
        const requestId = res.locals.requestId as string;
        try {
          return await haven.contextFor(req.headers.authorization, requestId, res.locals.principal);
        } catch (err) {
          // Typed refusals (a bad token, ...) pass as they are. Anything else fails before Apollo's request plugins
          // run, so it is logged here under the request id, and the client gets only that id.
          if (err instanceof GraphQLError && err.extensions?.code) throw err;
          log.error({ err: safeError(err), requestId }, 'unexpected error');
          throw new GraphQLError('Internal server error', {
            extensions: { code: 'INTERNAL_SERVER_ERROR', requestId, http: { status: 500 } },
          });
        }
      },
    }),
  );

  // The CIN census XML, streamed: the same bearer token and permission as the cinCensus query; every download audited.
  app.get('/exports/cin-census/:year.xml', async (req: Request<{ year: string }>, res: Response) => {
    const fail = (status: number, code: string, message: string, extra: Record<string, unknown> = {}) =>
      res.status(status).json({ errors: [{ message, extensions: { code, requestId: res.locals.requestId, ...extra } }] });
    // The database cannot be reached: 503 with Retry-After, as /graphql answers (not 401, not 500).
    const unavailable = () => {
      res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
      return fail(503, ErrorCode.SERVICE_UNAVAILABLE, serviceUnavailable().message);
    };
    let ctx;
    try {
      ctx = await haven.contextFor(req.headers.authorization, res.locals.requestId as string);
    } catch (err) {
      const code = (err as { extensions?: { code?: string } }).extensions?.code;
      if (code === ErrorCode.SERVICE_UNAVAILABLE) return unavailable();
      if (err instanceof GraphQLError && code === ErrorCode.UNAUTHENTICATED) return fail(401, code, 'Invalid or expired token');
      // Anything else is not the caller's token: logged under the request id, and the client gets only that id.
      log.error({ err: safeError(err), requestId: res.locals.requestId }, 'unexpected error');
      return fail(500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error');
    }
    if (!ctx.actor) return fail(401, 'UNAUTHENTICATED', 'Authentication is required');
    if (!ctx.actor.permissions.has('return:cinCensus')) {
      await ctx.recordDenial({ action: 'access.denied', entity: 'GET /exports/cin-census' });
      return fail(403, 'FORBIDDEN', 'You are not allowed to do this');
    }
    const year = /^\d{4}$/.test(req.params.year) ? Number(req.params.year) : NaN;
    res.locals.operation = 'cinCensusExport';
    res.setHeader('content-type', 'application/xml; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="cin-census-${req.params.year.replace(/\W/g, '')}.xml"`);
    res.setHeader('cache-control', 'no-store');
    try {
      await haven.services.cinCensus.exportXml(ctx.actor, year, res);
      res.end();
    } catch (err) {
      if (!res.headersSent) {
        res.removeHeader('content-disposition');
        const ext = (err as { extensions?: { code?: string; fields?: unknown } }).extensions;
        if (ext?.code === 'BAD_USER_INPUT') return fail(400, 'BAD_USER_INPUT', (err as Error).message, { fields: ext.fields });
        log.error({ err: safeError(err), requestId: res.locals.requestId }, 'census export failed');
        if (isDatabaseUnavailable(err)) return unavailable();
        return fail(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      }
      // Part of the document has gone: cut the response so the client cannot take it for a whole return.
      if (!res.destroyed) log.error({ err: safeError(err), requestId: res.locals.requestId }, 'census export failed');
      res.destroy();
    }
  });

  // Malformed JSON, oversized bodies and anything else thrown before GraphQL: a JSON answer, no stack, no paths.
  app.use((err: { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) log.error({ err: safeError(err), requestId: res.locals.requestId }, 'http error');
    const message =
      err.type === 'entity.parse.failed' ? 'Malformed JSON body' : err.type === 'entity.too.large' ? 'Request body too large' : 'Bad request';
    res.status(status).json({
      errors: [{ message: status === 500 ? 'Internal server error' : message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST', requestId: res.locals.requestId } }],
    });
  });

  return app;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });
}
