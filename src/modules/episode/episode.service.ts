import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../identity/actor';
import type { Referral } from '../front-door/front-door.entity';
import type { AuditWriter } from '../audit/audit.writer';
import type { CalendarService } from '../calendar/calendar.service';
import type { ChildService } from '../child/child.service';

/** Episodes of need: opened by a referral decision, closed with a reason once no work is open. */
export class EpisodeService {
  constructor(
    readonly db: DataSource,
    readonly audit: AuditWriter,
    readonly calendar: CalendarService,
    readonly children: ChildService,
  ) {}

  /**
   * Called in the decideReferral transaction when a referral is not closed at decision (ASSESSMENT or
   * STRATEGY_DISCUSSION): opens the child's episode of need, unless one is already open.
   */
  async openForReferralInTx(_tx: EntityManager, _actor: Actor, _referral: Referral): Promise<void> {
    // implemented with the episode module
  }
}
