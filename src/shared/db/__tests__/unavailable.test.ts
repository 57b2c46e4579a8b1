import { GraphQLError } from 'graphql';
import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from '../unavailable';
import { formatError } from '../../graphql/errors';
import { DomainError, ErrorCode } from '../../errors';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
/** As graphql-js hands a resolver's error to formatError: located (path), the driver's error as originalError. */
const located = (err: Error) => new GraphQLError(err.message, { path: ['child'], originalError: err });
const format = (err: GraphQLError) => formatError(err.toJSON(), err);

describe('isDatabaseUnavailable', () => {
  it.each([
    ['pool acquire timeout', new Error('timeout exceeded when trying to connect')],
    ['connection refused', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['connection reset', withCode('read ECONNRESET', 'ECONNRESET')],
    ['server shutting down (57P01)', withCode('terminating connection due to administrator command', '57P01')],
    ['crash shutdown (57P02)', withCode('terminating connection because of crash of another server process', '57P02')],
    ['starting up (57P03)', withCode('the database system is starting up', '57P03')],
    ['too many connections (53300)', withCode('sorry, too many clients already', '53300')],
    ['connection exception class 08', withCode('connection failure', '08006')],
    ['terminated unexpectedly', new Error('Connection terminated unexpectedly')],
    ['terminated by connect timeout', new Error('Connection terminated due to connection timeout')],
    ['a broken client', new Error('Client has encountered a connection error and is not queryable')],
    ['refused on every address (Node 20 AggregateError)', new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], '')],
    ['wrapped by TypeORM', new QueryFailedError('SELECT 1', [], withCode('terminating connection due to administrator command', '57P01'))],
    ['wrapped in a cause', new Error('lookup failed', { cause: new Error('timeout exceeded when trying to connect') })],
  ])('%s', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
    expect(isDatabaseUnavailable(located(err))).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('duplicate key value violates unique constraint "child_pkey"', '23505')],
    ['a statement timeout', withCode('canceling statement due to statement timeout', '57014')],
    ['a syntax error', withCode('syntax error at or near "SELEC"', '42601')],
    ['a programming error', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a domain error', new DomainError(ErrorCode.STALE_VERSION)],
    ['not an error', 'timeout exceeded when trying to connect'],
  ])('not %s', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});

describe('formatError for an unavailable database', () => {
  it('answers SERVICE_UNAVAILABLE with a fixed message and nothing from the driver', () => {
    const out = format(located(withCode('connect ECONNREFUSED 10.1.2.3:5432', 'ECONNREFUSED')));
    expect(out).toEqual({
      message: 'The service is temporarily unavailable; try again shortly',
      path: ['child'],
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
  });

  it('keeps other unexpected errors INTERNAL_SERVER_ERROR', () => {
    expect(format(located(withCode('canceling statement due to statement timeout', '57014'))).extensions).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
    });
  });
});
