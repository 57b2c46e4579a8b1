import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import type { AuditEvent, AuditWriter } from '../audit/audit.writer';
import type { CalendarService } from '../calendar/calendar.service';
import { CaseScope } from '../identity/permissions';
import { camelRows, Params } from '../../shared/db/sql';
import { badInput, FieldProblem, forbidden } from '../../shared/errors';
import { decodeCursor, Page, toPage } from '../../shared/graphql/pagination';
import { preparedQuery } from '../../shared/db/prepared';
import { ReportingDb } from './reporting-db';
import { figureDef, FigureName, FigureQuery, FIGURES, MEASURES, membershipSql, PerformanceFilter, summarySql } from './performance.figures';
import type {
  FigureBucketType, FigureRecordType, PerformanceInput, PerformanceSummary, PerformanceView, WorkerCaseloadType,
} from './reporting.types';

/** The longest period asked for in one request (days). */
const MAX_PERIOD_DAYS = 5 * 366;
const EARLIEST = '2000-01-01';

interface SummaryRow {
  figure: string;
  bucket: string | null;
  totalRow: boolean;
  n: number;
  sum: number | null;
  median: number | null;
  longest: number | null;
  cap: number | null;
  newlyQualified: boolean | null;
  teamId: string | null;
}

/** Known buckets first (zero when empty), in their order, then any others sorted. */
function orderedKeys(known: readonly string[], present: Iterable<string>): string[] {
  const extra = [...present].filter((k) => !known.includes(k)).sort();
  return [...known, ...extra];
}

function summaryOf(rows: SummaryRow[]): PerformanceSummary {
  const byFigure = new Map<string, SummaryRow[]>();
  for (const r of rows) byFigure.set(r.figure, [...(byFigure.get(r.figure) ?? []), r]);
  const figures: PerformanceSummary['figures'] = new Map();
  for (const def of FIGURES) {
    const own = byFigure.get(def.name) ?? [];
    const counts = new Map(own.filter((r) => !r.totalRow).map((r) => [r.bucket as string, r.n]));
    const value = own.find((r) => r.totalRow)?.n ?? 0;
    const buckets: FigureBucketType[] = orderedKeys(def.keys, counts.keys()).map((key) => ({ key, value: counts.get(key) ?? 0 }));
    figures.set(def.name, { value, buckets });
  }
  const measures: PerformanceSummary['measures'] = new Map();
  for (const m of MEASURES) {
    const own = byFigure.get(m.figure) ?? [];
    const pick = (r: SummaryRow | undefined) => {
      const v = r ? (m.aggregate === 'sum' ? r.sum : m.aggregate === 'median' ? r.median : r.longest) : null;
      return v ?? (m.aggregate === 'sum' ? 0 : null);
    };
    const def = figureDef(m.figure);
    const byKey = new Map(own.filter((r) => !r.totalRow).map((r) => [r.bucket as string, r]));
    measures.set(m.name, {
      value: pick(own.find((r) => r.totalRow)),
      buckets: orderedKeys(def.keys, byKey.keys()).map((key) => ({ key, value: pick(byKey.get(key)) })),
    });
  }
  const workers: WorkerCaseloadType[] = (byFigure.get('_worker') ?? [])
    .map((r) => ({
      workerId: r.bucket as string,
      teamId: r.teamId,
      newlyQualified: !!r.newlyQualified,
      cases: r.n,
      weighted: r.sum ?? 0,
      cap: r.cap ?? 0,
      overCap: (r.sum ?? 0) > (r.cap ?? 0),
    }))
    .sort((a, b) => (a.workerId < b.workerId ? -1 : a.workerId > b.workerId ? 1 : 0));
  return { figures, measures, workers };
}

/**
 * Performance figures for reporting tools (performance.figures.ts defines each figure once, as SQL). The dashboard
 * (every value and bucket) is one statement per request; each drill-down page is one statement, audited in it (with a
 * read replica: the audit row is committed on the primary first, then the page is read on the replica).
 */
export class ReportingService {
  constructor(
    readonly db: DataSource,
    readonly audit: AuditWriter,
    readonly calendar: CalendarService,
    /** Where the figures are read: the read replica when configured, else `db`. */
    readonly reports: ReportingDb = new ReportingDb(db),
  ) {}

  /**
   * Checks the period and the actor's reach, and returns the request's view (nothing is read yet). A team manager
   * gets their own team (by default) and no other: asking for another is FORBIDDEN and audited. Service managers and
   * analysts may ask for any team, or none (the whole service). For an actor who drills down to records
   * (performance:records) every figure leaves out the restricted children they are not named on (viewerId).
   */
  async view(actor: Actor, input: PerformanceInput, recordDenial: (event: Omit<AuditEvent, 'result'>) => Promise<void>): Promise<PerformanceView> {
    const problems: FieldProblem[] = [];
    if (input.from < EARLIEST) problems.push({ field: 'input.from', message: `must not be before ${EARLIEST}` });
    if (input.to < input.from) problems.push({ field: 'input.to', message: 'must not be before from' });
    else if (daysBetween(input.from, input.to) > MAX_PERIOD_DAYS) problems.push({ field: 'input.to', message: 'must be within 5 years of from' });
    if (problems.length) throw badInput(problems);

    const teamBound = actor.scope !== CaseScope.SERVICE && actor.permissions.has('performance:records');
    const teamId = input.teamId ?? (teamBound ? actor.teamId : null);
    if (teamBound && (!teamId || teamId !== actor.teamId)) {
      await recordDenial({ action: 'performance.viewed', entity: 'team', entityId: teamId ?? null });
      throw forbidden();
    }
    const filter: PerformanceFilter = {
      from: input.from,
      to: input.to,
      teamId: teamId ?? null,
      providerId: input.providerId ?? null,
      viewerId: actor.permissions.has('performance:records') ? actor.id : null,
    };
    let summary: Promise<PerformanceSummary> | null = null;
    return {
      filter,
      summary: () => {
        summary ??= this.summary(filter);
        return summary;
      },
    };
  }

  private async summary(filter: PerformanceFilter): Promise<PerformanceSummary> {
    const p = new Params();
    // A prepared statement: planning this statement took as long as running it (bench/load.ts).
    const rows = await preparedQuery(await this.reports.reader(), summarySql(new FigureQuery(p, filter)), p.values);
    return summaryOf(camelRows<SummaryRow>(rows));
  }

  /**
   * A keyset page (by record id) of the records a figure counts, optionally one bucket: the same rows as its value
   * (membershipSql), so a manager lists exactly what their team's figure counts. Analysts' pages withhold a restricted
   * child's identifiers. The listing is audited (figure name, team) in the same statement, or, when the page is read on
   * a replica, by a row committed on the primary just before.
   */
  async records(
    actor: Actor,
    filter: PerformanceFilter,
    name: FigureName,
    opts: { bucket?: string | null; first: number; after?: string },
  ): Promise<Page<FigureRecordType>> {
    const cursor = decodeCursor(opts.after, ['uuid']);
    const p = new Params();
    const q = new FigureQuery(p, filter);
    const def = figureDef(name);
    const where = opts.bucket != null ? `WHERE m.bucket = ${p.add(opts.bucket)}` : '';
    const hide = filter.viewerId ? 'false' : 'coalesce(c.restricted, false)';
    const afterSql = cursor ? `WHERE record_id > ${p.add(cursor[0])}::uuid` : '';
    // A replica cannot take the audit row: it is committed on the primary before the page is read there.
    const auditFirst = this.reports.usesReplica;
    if (auditFirst) {
      await this.audit.record(this.db, actor, { action: 'performance.recordsListed', entity: 'performance', entityId: filter.teamId, fields: [name] });
    }
    const audited = auditFirst ? '' : `audited AS (
        INSERT INTO audit_entry (actor_id, actor_roles, organisation_id, action, entity, entity_id, fields, request_id)
        VALUES (${p.add(actor.id)}::uuid, ${p.add(actor.roles)}::text[], ${p.add(actor.teamId ?? actor.providerId)}::uuid,
                'performance.recordsListed', 'performance', ${q.team ?? 'NULL'}, ${p.add([name])}::text[], ${p.add(actor.requestId)})
      ),`;
    const sql = `
      WITH ${[...q.shared(def.needs), `m AS (${membershipSql(q, def)})`].join(',\n')},
      ${audited}
      visible AS (
        SELECT m.record_type, m.record_id, CASE WHEN ${hide} THEN NULL ELSE m.child_id END AS child_id,
               CASE WHEN ${hide} THEN NULL ELSE c.la_child_id END AS la_child_id, m.team_id, m.bucket, m.measure
        FROM m LEFT JOIN child c ON c.id = m.child_id ${where}
      ),
      total AS (SELECT count(*) AS total_count FROM visible)
      SELECT page.*, total.total_count FROM total
      LEFT JOIN LATERAL (SELECT * FROM visible ${afterSql} ORDER BY record_id LIMIT ${p.add(opts.first + 1)}) page ON true
      ORDER BY page.record_id`;
    const rows = camelRows<FigureRecordType & { totalCount: number }>(await (await this.reports.reader()).query(sql, p.values));
    return toPage(rows, opts.first, (r) => [r.recordId], ({ totalCount: _t, ...r }) => r);
  }
}

function daysBetween(a: string, b: string): number {
  return (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;
}
