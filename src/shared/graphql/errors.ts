import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import type { ValidationError } from 'class-validator';
import { ArgumentValidationError } from 'type-graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { DomainError, ErrorCode, FieldProblem } from '../errors';

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
 * What a client may see of an error: typed codes pass through (validation problems listed by field); anything
 * unexpected becomes INTERNAL_SERVER_ERROR with no message detail (the request id is added by the logging plugin,
 * and the real error is logged with it).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
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
  return { message: 'Internal server error', path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}
