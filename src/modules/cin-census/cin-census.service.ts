import { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import type { AuditWriter } from '../audit/audit.writer';
import type { CalendarService } from '../calendar/calendar.service';
import type { Actor } from '../identity/actor';
import { badInput } from '../../shared/errors';
import { ReportingDb } from '../reporting/reporting-db';
import { IssueSeverity } from './census.model';
import type { CensusChild, CensusIssue } from './census.model';
import { loadCensusChildren } from './census.loader';
import { CensusXmlTotals, writeCensusXml } from './census.xml';
import { CensusValidator, censusPeriod } from './rules';
import { FIRST_CENSUS_YEAR, LAST_CENSUS_YEAR } from './cin-census.types';
import type { CinCensusType } from './cin-census.types';

export const censusDownloadPath = (year: number) => `/exports/cin-census/${year}.xml`;

/** The CIN census return: the XML (streamed), the DfE rules over it, every export audited. */
export class CinCensusService {
  constructor(
    readonly db: DataSource,
    readonly audit: AuditWriter,
    readonly calendar: CalendarService,
    /** <LEA>: the council's 3-digit LA code (config HAVEN_LA_CODE). */
    readonly laCode: string,
    /** Where the return is read: the read replica when configured, else `db` (the audit row is always on `db`). */
    readonly reports: ReportingDb = new ReportingDb(db),
  ) {}

  /**
   * Writes the year's return to `out` (not ended). The export is audited first, in its own transaction, so even an
   * interrupted download is on record ('return.cinCensus.exported', the year as the reason, no child); the audit row's
   * id is the message's SerialNo. The return is then read in one REPEATABLE READ snapshot, so batches agree (on the read
   * replica when one is configured; the audit row is committed on the primary before).
   */
  async exportXml(actor: Actor, year: number, out: Writable, onBatch?: (children: CensusChild[]) => void): Promise<CensusXmlTotals> {
    if (!Number.isInteger(year) || year < FIRST_CENSUS_YEAR || year > LAST_CENSUS_YEAR) {
      throw badInput([{ field: 'year', message: `must be a collection year from ${FIRST_CENSUS_YEAR} to ${LAST_CENSUS_YEAR}` }]);
    }
    const period = censusPeriod(year);
    const serialNo = await this.db.transaction(async (tx) => {
      await this.audit.record(tx, actor, { action: 'return.cinCensus.exported', entity: 'cinCensus', reason: String(year) });
      const [{ id }] = await tx.query(`SELECT currval(pg_get_serial_sequence('audit_entry', 'id')) AS id`);
      return Number(id);
    });
    const header = { period, laCode: this.laCode, serialNo, generatedAt: this.calendar.clock.now() };
    return (await this.reports.reader()).transaction('REPEATABLE READ', async (tx) => {
      await tx.query('SET TRANSACTION READ ONLY');
      return writeCensusXml(header, loadCensusChildren(tx, period), out, onBatch);
    });
  }

  /** The whole return in memory (the GraphQL answer): its XML and the issues the DfE rules find in it. */
  async census(actor: Actor, year: number): Promise<CinCensusType> {
    const chunks: string[] = [];
    const sink = new Writable({
      decodeStrings: false,
      write(chunk: string, _encoding, done) {
        chunks.push(chunk);
        done();
      },
    });
    const validator = new CensusValidator(censusPeriod(year), this.calendar.workingCalendar());
    const issues: CensusIssue[] = [];
    const totals = await this.exportXml(actor, year, sink, (batch) => issues.push(...validator.add(batch)));
    issues.push(...validator.finish());
    return {
      year,
      referenceDate: censusPeriod(year).referenceDate,
      children: totals.children,
      xml: chunks.join(''),
      issues,
      errorCount: issues.filter((i) => i.severity === IssueSeverity.ERROR).length,
      queryCount: issues.filter((i) => i.severity === IssueSeverity.QUERY).length,
      downloadPath: censusDownloadPath(year),
    };
  }
}
