import type { EntityManager } from 'typeorm';
import type { Actor } from '../identity/actor';
import { EpisodeError } from '../episode/episode.errors';
import type { Episode } from '../episode/episode.entity';
import type { Referral } from '../front-door/front-door.entity';
import { londonDate } from '../../shared/clock/calendar';
import { eventDateProblems } from '../plan';
import { badInput, DomainError, FieldProblem, staleVersion } from '../../shared/errors';
import { updateVersioned } from '../../shared/db/versioned';
import type { EarlyHelpDeps } from './early-help.deps';
import { EarlyHelpEpisode, EarlyHelpOutcome, EarlyHelpStatus } from './early-help.entity';
import { EarlyHelpError } from './early-help.errors';
import { createEarlyHelpEpisodeInTx } from './commissioning.service';
import { closeEarlyHelpEpisodeInTx } from './work.service';
import type { StepDownToEarlyHelpInput, StepUpToSocialCareInput } from './step.types';

/** Referral source (N00152) of a step-up: "LA early help". */
const EARLY_HELP_SOURCE = '5D';

/**
 * Step-up and step-down on one child record: early help refers children to the front door (source 5D, the early help
 * episode carried with the referral) and closes STEPPED_UP once every child is stepped up; social care closes an episode with RC9 after an authorised
 * assessment and requests early help with that assessment attached. Each is one transaction, audited.
 */
export class StepService {
  constructor(readonly deps: EarlyHelpDeps) {}

  async stepUp(actor: Actor, input: StepUpToSocialCareInput): Promise<{ earlyHelpEpisode: EarlyHelpEpisode; referrals: Referral[] }> {
    const { db, audit, calendar, earlyHelp, frontDoor } = this.deps;
    const receivedAt = input.receivedAt ?? calendar.clock.now();
    frontDoor.checkReceivedAt(receivedAt, 'receivedAt');
    return db.transaction(async (tx) => {
      const episode = await earlyHelp.forChange(tx, actor, input.episodeId);
      if (episode.status === EarlyHelpStatus.CLOSED) {
        throw new DomainError(EarlyHelpError.WRONG_STAGE, 'This early help episode is already closed');
      }
      if (episode.version !== input.expectedVersion) throw staleVersion();
      const children = await earlyHelp.childIds(tx, episode.id);
      // Children stepped up from this episode before (a partial step-up leaves it open); by default, all the others.
      const earlier: { child_id: string }[] = await tx.query(
        `SELECT DISTINCT child_id FROM referral WHERE early_help_episode_id = $1`, [episode.id],
      );
      const steppedUp = earlier.map((r) => r.child_id);
      const childIds = input.childIds ?? children.filter((id) => !steppedUp.includes(id));
      const problems: FieldProblem[] = [];
      if (childIds.some((id) => !children.includes(id))) {
        problems.push({ field: 'childIds', message: 'must be children of this early help episode' });
      } else if (childIds.some((id) => steppedUp.includes(id))) {
        problems.push({ field: 'childIds', message: 'names a child already stepped up from this early help episode' });
      }
      // The episode closes on the referral's date: not before the request, the start of work or the family plan.
      const closedOn = londonDate(receivedAt);
      const [plan] = await tx.query(`SELECT start_date FROM plan WHERE early_help_episode_id = $1 AND status = 'ACTIVE'`, [episode.id]);
      const earliest = [episode.requestedOn, episode.workStartedOn, plan?.start_date].filter((d): d is string => !!d).sort().pop()!;
      if (receivedAt.getTime() < new Date(episode.requestedAt).getTime() || closedOn < earliest) {
        problems.push({ field: 'receivedAt', message: `must not be before the request, the work or the family plan started (${earliest})` });
      }
      if (problems.length) throw badInput(problems);

      // The referrals wait in the front door's queue: the children are not held by the actor's team.
      const referrals: Referral[] = [];
      for (const childId of childIds) {
        referrals.push(
          await frontDoor.createReferralInTx(tx, actor, childId, {
            receivedAt, sourceCode: EARLY_HELP_SOURCE, primaryNeedCode: input.primaryNeedCode, reason: input.reason,
            earlyHelpEpisodeId: episode.id,
          }, { holdForTeam: false }),
        );
      }
      // Closes STEPPED_UP once every child is stepped up; until then the work goes on with the others (the version moves on).
      const everyone = children.every((id) => steppedUp.includes(id) || childIds.includes(id));
      const after = everyone
        ? await closeEarlyHelpEpisodeInTx(this.deps, tx, actor, episode, {
            closedOn, outcome: EarlyHelpOutcome.STEPPED_UP, summary: input.reason, progress: [], expectedVersion: input.expectedVersion,
          })
        : await updateVersioned<EarlyHelpEpisode>(tx, 'early_help_episode', episode.id, input.expectedVersion, {}, actor.id);
      await audit.recordMany(tx, actor, childIds.map((childId) => ({
        action: 'earlyHelp.steppedUp', entity: 'early_help_episode', entityId: episode.id, childId,
        fields: ['childIds', 'primaryNeedCode', 'reason', 'receivedAt', ...(everyone ? ['status'] : [])],
      })));
      return { earlyHelpEpisode: after, referrals };
    });
  }

  async stepDown(actor: Actor, input: StepDownToEarlyHelpInput): Promise<{ episode: Episode; earlyHelpEpisode: EarlyHelpEpisode }> {
    const { db, audit, calendar, child, episodes } = this.deps;
    const consents = input.consents ?? [];
    const problems = consents.flatMap((c, i) => eventDateProblems(`consents.${i}.givenOn`, c.givenOn, calendar.today()));
    if (problems.length) throw badInput(problems);
    return db.transaction(async (tx) => {
      const episode = await child.recordForChange<Episode>(tx, actor, 'episode', input.episodeId, 'episode');
      const [assessment] = await tx.query(
        `SELECT id FROM assessment WHERE episode_id = $1 AND status = 'AUTHORISED'
         ORDER BY authorised_date DESC, created_at DESC, id DESC LIMIT 1`,
        [episode.id],
      );
      if (!assessment) {
        throw new DomainError(
          EarlyHelpError.STEP_DOWN_NEEDS_ASSESSMENT, 'Step-down needs an authorised assessment in the episode (RC9: closed after assessment)',
        );
      }
      const closed = await this.closeForStepDown(tx, actor, episode, input);
      // The family the child lives in, when there is exactly one.
      const families: { family_id: string }[] = await tx.query(
        `SELECT DISTINCT family_id FROM family_member WHERE child_id = $1`,
        [episode.childId],
      );
      const earlyHelpEpisode = await createEarlyHelpEpisodeInTx(this.deps, tx, actor, {
        childIds: [episode.childId],
        familyId: families.length === 1 ? families[0].family_id : null,
        requesterName: actor.displayName,
        requesterRole: 'Social worker',
        requesterAgency: "Children's social care",
        reason: input.reason,
        needs: input.needs,
        requestedAt: calendar.clock.now(),
        consents,
        steppedDownFromEpisodeId: episode.id,
        steppedDownAssessmentId: assessment.id,
      });
      await audit.record(tx, actor, {
        action: 'earlyHelp.steppedDown', entity: 'early_help_episode', entityId: earlyHelpEpisode.id, childId: episode.childId,
        fields: ['episodeId', 'closureDate', 'reason', 'needs', 'consents'],
      });
      return { episode: closed, earlyHelpEpisode };
    });
  }

  /**
   * Closes the episode with RC9, or accepts one already closed with RC9 (authorising an assessment with the outcome
   * EARLY_HELP does that) that nothing was stepped down from yet, at the version the client read.
   */
  private async closeForStepDown(tx: EntityManager, actor: Actor, episode: Episode, input: StepDownToEarlyHelpInput): Promise<Episode> {
    const stepped = await tx.query(`SELECT 1 FROM early_help_episode WHERE stepped_down_from_episode_id = $1`, [episode.id]);
    if (stepped.length) throw new DomainError(EarlyHelpError.WRONG_STAGE, 'This episode has already been stepped down to early help');
    if (!episode.closureDate) {
      if (!input.closureDate) throw badInput([{ field: 'closureDate', message: 'is required to close the episode' }]);
      return this.deps.episodes.closeInTx(tx, actor, episode, input.closureDate, 'RC9', input.expectedVersion);
    }
    if (episode.closureReason !== 'RC9') {
      throw new DomainError(EpisodeError.ALREADY_CLOSED, 'This episode of need is already closed');
    }
    if (input.closureDate && input.closureDate !== episode.closureDate) {
      throw badInput([{ field: 'closureDate', message: `the episode was already closed (RC9) on ${episode.closureDate}` }]);
    }
    if (episode.version !== input.expectedVersion) throw staleVersion();
    return episode;
  }
}
