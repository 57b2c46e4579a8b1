import type { DataSource } from 'typeorm';
import type { AuditWriter } from '../audit/audit.writer';
import type { CalendarService } from '../calendar/calendar.service';
import type { Actor } from '../identity/actor';
import { badInput } from '../../shared/errors';
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
  ) {}

  /**
   * One Annex A list for [from, to]: one SQL statement, read in the same transaction as its audit row
   * ('return.annexA.exported': the list as the entity, the window as `from/to`; no child).
   */
  async export(actor: Actor, { list, from, to }: AnnexAInput): Promise<AnnexAExportType> {
    if (from > to) throw badInput([{ field: 'to', message: 'must not be before from' }]);
    const latest = `${Number(from.slice(0, 4)) + MAX_WINDOW_YEARS}${from.slice(4)}`;
    if (to > latest) throw badInput([{ field: 'to', message: `must be at most ${MAX_WINDOW_YEARS} years after from` }]);
    const spec = ANNEX_A_LISTS[list];
    const records: Record<string, unknown>[] = await this.db.transaction(async (tx) => {
      await this.audit.record(tx, actor, { action: 'return.annexA.exported', entity: `annexA.${list}`, reason: `${from}/${to}` });
      return tx.query(spec.sql, [from, to]);
    });
    const rows = records.map(spec.cells);
    return { list, from, to, columns: spec.columns, rows, rowCount: rows.length, csv: toCsv(spec.columns, rows) };
  }
}
