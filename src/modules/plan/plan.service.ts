import type { DataSource } from 'typeorm';
import type { AuditWriter } from '../audit/audit.writer';
import type { CalendarService } from '../calendar/calendar.service';
import type { ChildService } from '../child/child.service';

export class PlanService {
  constructor(
    readonly db: DataSource,
    readonly audit: AuditWriter,
    readonly calendar: CalendarService,
    readonly children: ChildService,
  ) {}
}
