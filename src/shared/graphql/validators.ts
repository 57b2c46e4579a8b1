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
