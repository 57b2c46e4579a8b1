import { GraphQLError } from 'graphql';

/**
 * Error codes other systems rely on (API-CONTRACT.md). Generic codes first, then domain codes
 * (AREA_REASON). A record the actor may not see answers NOT_FOUND, exactly like a missing one.
 */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  STALE_VERSION = 'STALE_VERSION',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
  /** The database cannot be reached (down, restarting, or every pooled connection busy): HTTP 503, safe to retry. */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  CHILD_LA_ID_TAKEN = 'CHILD_LA_ID_TAKEN',
  FAMILY_MEMBER_ALREADY_ADDED = 'FAMILY_MEMBER_ALREADY_ADDED',
  REFERRAL_ALREADY_DECIDED = 'REFERRAL_ALREADY_DECIDED',
  ALLOCATION_WORKER_NOT_IN_TEAM = 'ALLOCATION_WORKER_NOT_IN_TEAM',
  ALLOCATION_UNCHANGED = 'ALLOCATION_UNCHANGED',
  RESTRICTION_NEEDS_NAMED_PEOPLE = 'RESTRICTION_NEEDS_NAMED_PEOPLE',
  BREAK_GLASS_NOT_NEEDED = 'BREAK_GLASS_NOT_NEEDED',
  BANK_HOLIDAY_EXISTS = 'BANK_HOLIDAY_EXISTS',
  /** The idempotency key was used before for a different submission. */
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
}

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * A typed error the client may see. `code` is a shared ErrorCode or a module's own AREA_REASON code (from its
 * `<area>.errors.ts`); formatError passes every DomainError through.
 */
export class DomainError extends GraphQLError {
  constructor(code: ErrorCode | string, message?: string, extra: Record<string, unknown> = {}) {
    super(message ?? defaultMessages[code as ErrorCode] ?? code, { extensions: { code, ...extra } });
  }
}

export const notFound = () => new DomainError(ErrorCode.NOT_FOUND);
export const forbidden = () => new DomainError(ErrorCode.FORBIDDEN);
export const unauthenticated = () => new DomainError(ErrorCode.UNAUTHENTICATED);
export const staleVersion = () => new DomainError(ErrorCode.STALE_VERSION);
/** Seconds a client is asked to wait before retrying a SERVICE_UNAVAILABLE answer (the `Retry-After` header). */
export const RETRY_AFTER_SECONDS = 2;

/**
 * The database is unavailable: HTTP 503 with Retry-After (Apollo reads `extensions.http` and removes it from the
 * answer), the request id for the log, and no detail of the underlying error.
 */
export const serviceUnavailable = (requestId?: string) =>
  new DomainError(ErrorCode.SERVICE_UNAVAILABLE, undefined, {
    ...(requestId ? { requestId } : {}),
    http: { status: 503, headers: new Map([['retry-after', String(RETRY_AFTER_SECONDS)]]) },
  });
export const badInput = (fields: FieldProblem[]) =>
  new DomainError(ErrorCode.BAD_USER_INPUT, fields.map((f) => `${f.field}: ${f.message}`).join('; '), { fields });

const defaultMessages: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.UNAUTHENTICATED]: 'Authentication is required',
  [ErrorCode.FORBIDDEN]: 'You are not allowed to do this',
  [ErrorCode.NOT_FOUND]: 'Not found',
  [ErrorCode.STALE_VERSION]: 'The record was changed by someone else; reload it and try again',
  [ErrorCode.INTERNAL_SERVER_ERROR]: 'Internal server error',
  [ErrorCode.SERVICE_UNAVAILABLE]: 'The service is temporarily unavailable; try again shortly',
};
