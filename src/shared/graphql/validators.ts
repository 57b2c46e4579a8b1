import { registerDecorator, ValidationOptions } from 'class-validator';
import { isValidNhsNumber, isValidUpn } from '../../modules/child/child.rules';
import { londonDate } from '../clock/calendar';

function simple(name: string, test: (v: string) => boolean, message: string) {
  return (options?: ValidationOptions) => (target: object, propertyName: string) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options: { message, ...options },
      validator: { validate: (v: unknown) => v === null || v === undefined || (typeof v === 'string' && test(v)) },
    });
}

export const IsNhsNumber = simple('isNhsNumber', isValidNhsNumber, 'must be 10 digits with a valid modulus 11 check digit');
export const IsUpn = simple('isUpn', isValidUpn, 'must be a 13-character UPN with a valid check letter');
export const IsNotFutureDate = simple(
  'isNotFutureDate',
  (v) => v <= londonDate(new Date()),
  'must not be in the future',
);

/**
 * A record id: the 8-4-4-4-12 hex shape PostgreSQL's uuid type accepts. Not class-validator's IsUUID, which (since
 * validator 13.15) also demands an RFC 4122 version and variant that ids made by other systems, or derived ids such as
 * the demo council's, need not have.
 */
const ID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const IsId = simple('isId', (v) => ID_SHAPE.test(v), 'must be an id');

/**
 * Text with at least `min` characters that are not blank (so a contingency of spaces is refused) and at most `max`.
 * Used for every free-text input instead of class-validator's Length, which counts spaces.
 */
export function HasText(min: number, max = 20000, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'hasText',
      target: target.constructor,
      propertyName,
      options: { message: `must have at least ${min} characters that are not blank (and at most ${max})`, ...options },
      validator: {
        validate: (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim().length >= min && v.length <= max),
      },
    });
}
