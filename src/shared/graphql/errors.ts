import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import type { ValidationError } from 'class-validator';
import { ArgumentValidationError } from 'type-graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { DomainError, ErrorCode, FieldProblem, RETRY_AFTER_SECONDS, serviceUnavailable } from '../errors';
import { isDatabaseUnavailable } from '../db/unavailable';

const PASS_THROUGH = new Set<string>([
  ...Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

function flatten(errors: ValidationError[], prefix: string): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * What a client may see of an error: typed codes pass through (validation problems listed by field); a database that
 * cannot be reached becomes SERVICE_UNAVAILABLE (HTTP 503, see serviceUnavailableStatus); anything else unexpected
 * becomes INTERNAL_SERVER_ERROR with no message detail (the request id is added by the logging plugin, and the real
 * error is logged with it).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (isDatabaseUnavailable(original)) {
    return { message: serviceUnavailable().message, path: formatted.path, extensions: { code: ErrorCode.SERVICE_UNAVAILABLE } };
  }
  if (original instanceof ArgumentValidationError) {
    const problems = flatten(original.extensions.validationErrors, '');
    return {
      message: problems.map((p) => `${p.field}: ${p.message}`).join('; ') || 'Invalid input',
      path: formatted.path,
      extensions: { code: ErrorCode.BAD_USER_INPUT, fields: problems },
    };
  }
  const code = formatted.extensions?.code as string | undefined;
  const typed = original instanceof DomainError || (code !== undefined && PASS_THROUGH.has(code) && original instanceof GraphQLError);
  if (code && code !== ErrorCode.INTERNAL_SERVER_ERROR && typed) {
    const { stacktrace: _s, exception: _e, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
    return { ...formatted, extensions };
  }
  // A request id set where the error was raised (context creation, before the logging plugin runs) is kept.
  const requestId = formatted.extensions?.requestId;
  return {
    message: 'Internal server error',
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...(typeof requestId === 'string' ? { requestId } : {}) },
  };
}

/**
 * A request that failed because the database is unavailable (formatError's SERVICE_UNAVAILABLE) is answered HTTP 503
 * with Retry-After and its request id, whatever else it returned, so clients and load balancers see it is
 * temporary. (Failures while building the context throw serviceUnavailable(), which carries its own status.)
 */
export const serviceUnavailableStatus: ApolloServerPlugin<{ requestId: string }> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== 'single') return;
        const unavailable = (response.body.singleResult.errors ?? []).filter((e) => e.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE);
        if (!unavailable.length) return;
        for (const e of unavailable) (e.extensions as Record<string, unknown>).requestId = contextValue.requestId;
        response.http.status = 503;
        response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
      },
    };
  },
};
