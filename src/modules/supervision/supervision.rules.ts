/** Supervision sessions and management decisions recorded before this date are refused as mistakes. */
export const EARLIEST_OVERSIGHT = '2000-01-01';

/** One worker's supervision clock as read from the database. */
export interface SupervisionClockRow {
  id: string;
  displayName: string;
  teamId: string | null;
  newlyQualified: boolean;
  everyWorkingDays: number;
  /** The account's creation date in England: the clock's start when the worker has never been supervised. */
  since: string;
  lastHeldOn: string | null;
}
