import type { PlanType } from '../plan/plan.entity';

/** Visits recorded before this date are refused as mistakes (as contacts and referrals are). */
export const EARLIEST_VISIT = '2000-01-01';

/** Which active plan sets the visiting frequency when a child has more than one: CP, then CIN, then early help. */
export const ACTIVE_PLAN_ORDER = (p: string) =>
  `CASE ${p}.type WHEN 'CHILD_PROTECTION' THEN 0 WHEN 'CHILD_IN_NEED' THEN 1 ELSE 2 END`;

/** One child's visit clock as the loader reads it. */
export interface VisitClockRow {
  childId: string;
  planType: PlanType | null;
  planStart: string | null;
  everyWorkingDays: number | null;
  lastSeenOn: string | null;
}
