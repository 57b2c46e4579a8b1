import type { DataSource } from 'typeorm';
import type { AuditWriter } from '../audit/audit.writer';
import type { CalendarService } from '../calendar/calendar.service';
import type { Actor } from '../identity/actor';
import { badInput } from '../../shared/errors';
import { ReportingDb } from '../reporting/reporting-db';
import { toCsv } from './annex-a.csv';
import { ANNEX_A_LISTS } from './annex-a.lists';
import type { AnnexAExportType, AnnexAInput } from './annex-a.types';

/** The longest window one export may cover (Ofsted asks for six months, twelve for adoption). */
const MAX_WINDOW_YEARS = 2;

export class AnnexAService {
  constructor(
    readonly db: DataSource,
    readonly audit: AuditWriter,
    readonly calendar: CalendarService,
    /** Where the lists are read: the read replica when configured, else `db` (the audit row is always on `db`). */
    readonly reports: ReportingDb = new ReportingDb(db),
  ) {}

  /**
   * One Annex A list for [from, to]: one SQL statement, read after its audit row ('return.annexA.exported': the list
   * as the entity, the window as `from/to`; no child) is committed on the primary, so it can be read on the replica.
   */
  async export(actor: Actor, { list, from, to }: AnnexAInput): Promise<AnnexAExportType> {
    if (from > to) throw badInput([{ field: 'to', message: 'must not be before from' }]);
    const latest = `${Number(from.slice(0, 4)) + MAX_WINDOW_YEARS}${from.slice(4)}`;
    if (to > latest) throw badInput([{ field: 'to', message: `must be at most ${MAX_WINDOW_YEARS} years after from` }]);
    const spec = ANNEX_A_LISTS[list];
    await this.audit.record(this.db, actor, { action: 'return.annexA.exported', entity: `annexA.${list}`, reason: `${from}/${to}` });
    const records: Record<string, unknown>[] = await (await this.reports.reader()).query(spec.sql, [from, to]);
    const rows = records.map(spec.cells);
    return { list, from, to, columns: spec.columns, rows, rowCount: rows.length, csv: toCsv(spec.columns, rows) };
  }
}
