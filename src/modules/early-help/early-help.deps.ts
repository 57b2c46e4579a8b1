import type { DataSource } from 'typeorm';
import type { AuditWriter } from '../audit/audit.writer';
import type { CalendarService } from '../calendar/calendar.service';
import type { ChildService } from '../child/child.service';
import type { FrontDoorService } from '../front-door/front-door.service';
import type { EpisodeService } from '../episode/episode.service';
import type { PlanService } from '../plan/plan.service';
import type { EarlyHelpEpisodes } from './early-help.service';

/** What the early help services share: the database, audit, the clock, and the statutory services they hand over to. */
export interface EarlyHelpDeps {
  db: DataSource;
  audit: AuditWriter;
  calendar: CalendarService;
  child: ChildService;
  frontDoor: FrontDoorService;
  episodes: EpisodeService;
  plans: PlanService;
  earlyHelp: EarlyHelpEpisodes;
}
