import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ParseOptions, ValidationRule } from 'graphql';

/**
 * Size limits on every GraphQL document (`@escape.tech/graphql-armor`), set to fit Haven's own operations with headroom.
 * Measured over every operation in the tests and benchmarks (test/hardening.int.test.ts checks they all still pass):
 * deepest 8, most aliases 2, most tokens 87, highest cost 4,356 (armor's static cost: objects 2, scalars 1, ×1.5 a
 * level), no directives.
 */
export const QUERY_LIMITS = {
  maxDepth: 10,
  maxAliases: 20,
  maxTokens: 1000,
  maxCost: 20000,
  maxDirectives: 10,
} as const;

export type QueryLimits = { [K in keyof typeof QUERY_LIMITS]: number };

/**
 * The armor's depth, alias, cost and directive rules as validation rules: a rejection is a validation error, which
 * Apollo answers with HTTP 400 and `GRAPHQL_VALIDATION_FAILED` before anything is executed. The limits appear in the
 * message only outside production (`exposeLimits`). Field suggestions are hidden by Apollo's own option in production.
 */
export function queryLimitRules(limits: QueryLimits = QUERY_LIMITS, exposeLimits = false): ValidationRule[] {
  const errorMessage = 'Query is too large or too complex.';
  return new ApolloArmor({
    blockFieldSuggestion: { enabled: false },
    // The armor's token limit throws from a plugin hook, which Apollo answers with 500: see queryParseOptions.
    maxTokens: { enabled: false },
    maxDepth: { n: limits.maxDepth, exposeLimits, errorMessage },
    maxAliases: { n: limits.maxAliases, exposeLimits, errorMessage },
    costLimit: { maxCost: limits.maxCost, exposeLimits, errorMessage },
    maxDirectives: { n: limits.maxDirectives, exposeLimits, errorMessage },
  }).protect().validationRules;
}

/**
 * The token limit, enforced by graphql-js's parser itself (the same lexer count the armor's token plugin makes), so a
 * token flood is a syntax error: HTTP 400 `GRAPHQL_PARSE_FAILED`, before validation or execution.
 */
export function queryParseOptions(limits: QueryLimits = QUERY_LIMITS): ParseOptions {
  return { maxTokens: limits.maxTokens };
}
