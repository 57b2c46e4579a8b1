import type { DataSource } from 'typeorm';
import type { AuditWriter } from '../audit/audit.writer';
import type { CalendarService } from '../calendar/calendar.service';
import type { ChildService } from '../child/child.service';
import type { EpisodeService } from '../episode/episode.service';

export class AssessmentService {
  constructor(
    readonly db: DataSource,
    readonly audit: AuditWriter,
    readonly calendar: CalendarService,
    readonly children: ChildService,
    readonly episodes: EpisodeService,
  ) {}
}
