import { can, fields } from '../../shared/authz/rules';

export const calendarRules = {
  Query: { bankHolidays: can('calendar:read') },
  Mutation: { addBankHoliday: can('calendar:manage') },
  BankHoliday: fields(can('calendar:read'), ['date', 'name', 'source']),
};
