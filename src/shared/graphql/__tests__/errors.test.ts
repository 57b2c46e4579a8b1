import { GraphQLError } from 'graphql';
import { DomainError, ErrorCode } from '../../errors';
import { formatError } from '../errors';

const format = (err: unknown) => {
  const formatted = err instanceof GraphQLError ? err.toJSON() : { message: String(err), extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  return formatError(formatted, err);
};

describe('formatError', () => {
  it('passes typed domain errors through with their code', () => {
    expect(format(new DomainError(ErrorCode.STALE_VERSION))).toMatchObject({ extensions: { code: 'STALE_VERSION' } });
    expect(format(new DomainError(ErrorCode.REFERRAL_ALREADY_DECIDED, 'decided'))).toMatchObject({ message: 'decided' });
  });

  it('masks anything unexpected, including an internal GraphQLError, with no message detail', () => {
    const fromDriver = new Error('duplicate key value violates unique constraint "child_pkey" (id)=(123)');
    expect(format(fromDriver)).toEqual({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    const internal = new GraphQLError('Cannot return null for non-nullable field Query.me.', {
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(format(internal).message).toBe('Internal server error');
  });
});
