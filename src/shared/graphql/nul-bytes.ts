import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors';

/**
 * PostgreSQL text cannot hold a NUL character: refuse any request whose variables or query carry one, with a typed
 * error, before a resolver runs (otherwise the driver's error would surface as INTERNAL_SERVER_ERROR).
 */
export const refuseNulBytes: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request }) {
        const carriesNul = (request.query ?? '').includes('\u0000') || JSON.stringify(request.variables ?? {}).includes('\\u0000');
        if (!carriesNul) return;
        throw new GraphQLError('Text must not contain NUL characters', {
          extensions: { code: ErrorCode.BAD_USER_INPUT, fields: [], http: { status: 400 } },
        });
      },
    };
  },
};
