import { registerEnumType } from 'type-graphql';
import { Urgency } from '../clock/timescales';

/** Enums shared by several modules, registered once. */
registerEnumType(Urgency, {
  name: 'DueStatus',
  description: 'How urgent something due is today: OVERDUE, DUE_TODAY, DUE_SOON (within 5 working days) or UPCOMING',
});

export { Urgency };
