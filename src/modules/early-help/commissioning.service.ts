import type { EntityManager } from 'typeorm';
import type { Actor } from '../identity/actor';
import { AuditResult } from '../audit/audit.entity';
import { auditedRead } from '../audit/audited-read';
import { Access } from '../child/child.scope';
import { eventDateProblems } from '../plan';
import { camelRow, camelRows, Params } from '../../shared/db/sql';
import { isUniqueViolation, updateVersioned } from '../../shared/db/versioned';
import { Idempotent, idempotent } from '../../shared/db/idempotency';
import { londonDate } from '../../shared/clock/calendar';
import { badInput, DomainError, notFound, staleVersion } from '../../shared/errors';
import { decodeCursor, encodeCursor, Page } from '../../shared/graphql/pagination';
import type { EarlyHelpDeps } from './early-help.deps';
import {
  ConsentKind, EarlyHelpConcern, EarlyHelpConsent, EarlyHelpEpisode, EarlyHelpReferral, EarlyHelpStatus, ProviderReferralStatus,
  SupportingFamiliesNeed,
} from './early-help.entity';
import { EarlyHelpError } from './early-help.errors';
import { earlyHelpScope, earlyHelpUnrestricted } from './early-help.scope';
import type {
  AcceptEarlyHelpReferralInput, CommissionEarlyHelpInput, DeclineEarlyHelpReferralInput, EarlyHelpWaitingEntryType,
  RaiseEarlyHelpConcernInput, RecordEarlyHelpConsentInput, RequestEarlyHelpInput, WithdrawEarlyHelpConsentInput,
} from './commissioning.types';
import { RetriageReason } from './commissioning.types';

type Runner = Pick<EntityManager, 'query'>;

interface ConsentGiven {
  kind: ConsentKind;
  givenBy: string;
  relationship: string;
  givenOn: string;
  scope: string;
}

/** Inserts consents given to an episode (the caller has validated them). */
async function insertConsents(tx: Runner, actor: Actor, episodeId: string, consents: ConsentGiven[]): Promise<EarlyHelpConsent[]> {
  if (!consents.length) return [];
  const rows = await tx.query(
    `INSERT INTO early_help_consent (episode_id, kind, given_by, relationship, given_on, scope, created_by_id, updated_by_id)
     SELECT $1, c.kind, c.given_by, c.relationship, c.given_on, c.scope, $3, $3
     FROM jsonb_to_recordset($2::jsonb) AS c(kind text, given_by text, relationship text, given_on date, scope text)
     RETURNING *`,
    [
      episodeId,
      JSON.stringify(consents.map((c) => ({
        kind: c.kind, given_by: c.givenBy, relationship: c.relationship, given_on: c.givenOn, scope: c.scope,
      }))),
      actor.id,
    ],
  );
  return camelRows<EarlyHelpConsent>(rows);
}

/**
 * Opens an early help request (REQUESTED) in the caller's transaction: refuses EARLY_HELP_ALREADY_OPEN when a child
 * already has an episode that is not closed, and EARLY_HELP_CHILD_IN_SOCIAL_CARE when a child has an open social care
 * episode of need (the children's rows are locked first, so two requests for one child, or a request and a new episode
 * of need, queue); writes the episode, its children and consents, and an 'earlyHelp.requested' audit row per child (the primary
 * first). Used by requestEarlyHelp and by the step-down from social care. The caller has checked the children's scope
 * and validated the input.
 */
export async function createEarlyHelpEpisodeInTx(
  deps: EarlyHelpDeps,
  tx: EntityManager,
  actor: Actor,
  input: {
    childIds: string[];
    familyId: string | null;
    requesterName: string;
    requesterRole: string;
    requesterAgency: string | null;
    reason: string;
    needs: SupportingFamiliesNeed[];
    requestedAt: Date;
    consents: { kind: ConsentKind; givenBy: string; relationship: string; givenOn: string; scope: string }[];
    steppedDownFromEpisodeId?: string | null;
    steppedDownAssessmentId?: string | null;
  },
): Promise<EarlyHelpEpisode> {
  // FOR NO KEY UPDATE: serialises requests for the same child without blocking inserts that merely reference it.
  await tx.query(`SELECT id FROM child WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`, [input.childIds]);
  const open = await tx.query(
    `SELECT 1 FROM early_help_child ec JOIN early_help_episode e ON e.id = ec.episode_id
     WHERE ec.child_id = ANY($1::uuid[]) AND e.status <> 'CLOSED' LIMIT 1`,
    [input.childIds],
  );
  if (open.length) throw new DomainError(EarlyHelpError.ALREADY_OPEN, 'A child already has an early help episode that is not closed');
  // Early help would open the child's full record to the council's early help staff: a child in social care comes to
  // early help only by the step-down, which closes the episode of need first.
  const inSocialCare = await tx.query(
    `SELECT 1 FROM episode WHERE child_id = ANY($1::uuid[]) AND closure_date IS NULL LIMIT 1`,
    [input.childIds],
  );
  if (inSocialCare.length) {
    throw new DomainError(EarlyHelpError.CHILD_IN_SOCIAL_CARE, 'A child has an open social care episode of need: step it down instead');
  }
  const [row] = await tx.query(
    `INSERT INTO early_help_episode (family_id, primary_child_id, status, requested_at, requested_on, requester_name, requester_role,
                                     requester_agency, reason, needs, stepped_down_from_episode_id, stepped_down_assessment_id,
                                     created_by_id, updated_by_id)
     VALUES ($1, $2, 'REQUESTED', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING *`,
    [
      input.familyId, input.childIds[0], input.requestedAt, londonDate(input.requestedAt), input.requesterName, input.requesterRole,
      input.requesterAgency, input.reason, input.needs, input.steppedDownFromEpisodeId ?? null, input.steppedDownAssessmentId ?? null,
      actor.id,
    ],
  );
  const episode = camelRow<EarlyHelpEpisode>(row);
  await tx.query(`INSERT INTO early_help_child (episode_id, child_id) SELECT $1, unnest($2::uuid[])`, [episode.id, input.childIds]);
  await insertConsents(tx, actor, episode.id, input.consents);
  const fields = [
    'childIds', 'familyId', 'requesterName', 'requesterRole', 'requesterAgency', 'reason', 'needs', 'requestedAt',
    ...(input.consents.length ? ['consents'] : []),
    ...(input.steppedDownFromEpisodeId ? ['steppedDownFromEpisodeId', 'steppedDownAssessmentId'] : []),
  ];
  await deps.audit.recordMany(
    tx,
    actor,
    input.childIds.map((childId) => ({ action: 'earlyHelp.requested', entity: 'early_help_episode', entityId: episode.id, childId, fields })),
  );
  return episode;
}

/** A waiting list row; the flags other than waitedTooLong are worked out for the council only (absent for providers). */
interface WaitingRow extends EarlyHelpEpisode {
  daysWaiting: number;
  waitedTooLong: boolean;
  newContact?: boolean;
  newReferral?: boolean;
  safeguardingConcern?: boolean;
  needsEscalated?: boolean;
  totalCount: number;
  remaining: number;
}

function waitingEntry(row: WaitingRow): EarlyHelpWaitingEntryType {
  const {
    daysWaiting, waitedTooLong, newContact, newReferral, safeguardingConcern, needsEscalated, totalCount: _t, remaining: _r, ...episode
  } = row;
  const retriageReasons = [
    ...(waitedTooLong ? [RetriageReason.WAITED_TOO_LONG] : []),
    ...(newContact ? [RetriageReason.NEW_CONTACT] : []),
    ...(newReferral ? [RetriageReason.NEW_REFERRAL] : []),
    ...(safeguardingConcern ? [RetriageReason.SAFEGUARDING_CONCERN] : []),
    ...(needsEscalated ? [RetriageReason.NEEDS_ESCALATED] : []),
  ];
  return { episode, daysWaiting, needsRetriage: retriageReasons.length > 0, retriageReasons, providerId: episode.providerId };
}

/**
 * Request for support, consent, concerns raised while waiting, commissioning to a provider and the provider's
 * decision, and the waiting list. Each change is one transaction with its audit rows.
 */
export class CommissioningService {
  constructor(readonly deps: EarlyHelpDeps) {}

  private today() {
    return this.deps.calendar.today();
  }

  async requestEarlyHelp(actor: Actor, input: RequestEarlyHelpInput): Promise<EarlyHelpEpisode> {
    const now = this.deps.calendar.clock.now();
    const requestedAt = input.requestedAt ?? now;
    const consents = input.consents ?? [];
    const problems = [
      ...(requestedAt.getTime() > now.getTime() ? [{ field: 'requestedAt', message: 'must not be in the future' }] : []),
      ...consents.flatMap((c, i) => eventDateProblems(`consents.${i}.givenOn`, c.givenOn, this.today())),
    ];
    if (problems.length) throw badInput(problems);
    return this.deps.db.transaction(async (tx) => {
      for (const childId of input.childIds) await this.deps.child.forChange(tx, actor, childId, 'find');
      if (input.familyId) {
        const p = new Params();
        const me = p.add(actor.id);
        const [family] = await tx.query(
          `SELECT count(DISTINCT fm.child_id)::int AS members FROM family f
           JOIN family_member fm ON fm.family_id = f.id AND fm.child_id = ANY(${p.add(input.childIds)}::uuid[])
           WHERE f.id = ${p.add(input.familyId)}
             AND (NOT f.restricted OR EXISTS (SELECT 1 FROM restriction_grant g WHERE g.family_id = f.id AND g.account_id = ${me}))`,
          p.values,
        );
        if (family.members !== input.childIds.length) {
          throw badInput([{ field: 'familyId', message: 'is not a household containing every child of the request' }]);
        }
      }
      return createEarlyHelpEpisodeInTx(this.deps, tx, actor, {
        childIds: input.childIds,
        familyId: input.familyId ?? null,
        requesterName: input.requester.name,
        requesterRole: input.requester.role,
        requesterAgency: input.requester.agency ?? null,
        reason: input.reason,
        needs: input.needs,
        requestedAt,
        consents,
      });
    });
  }

  async recordConsent(actor: Actor, input: RecordEarlyHelpConsentInput): Promise<EarlyHelpConsent> {
    const problems = eventDateProblems('givenOn', input.givenOn, this.today());
    if (problems.length) throw badInput(problems);
    return this.deps.db.transaction(async (tx) => {
      const episode = await this.deps.earlyHelp.forChange(tx, actor, input.episodeId);
      if (episode.status === EarlyHelpStatus.CLOSED) {
        throw new DomainError(EarlyHelpError.WRONG_STAGE, 'The early help episode is closed');
      }
      const [consent] = await insertConsents(tx, actor, episode.id, [input]);
      await this.deps.audit.record(tx, actor, {
        action: 'earlyHelpConsent.recorded', entity: 'early_help_consent', entityId: consent.id, childId: episode.primaryChildId,
        fields: ['kind', 'givenBy', 'relationship', 'givenOn', 'scope'],
      });
      return consent;
    });
  }

  /**
   * Withdraws a consent. When the family no longer consents to both support and sharing, an open provider referral
   * (OFFERED or ACCEPTED) is CLOSED in the same transaction, so the provider's access ends, and the family returns to
   * the council (REQUESTED, no provider, lead or start of work; the referral keeps the history; a family plan stays).
   */
  async withdrawConsent(actor: Actor, input: WithdrawEarlyHelpConsentInput): Promise<EarlyHelpConsent> {
    const dateProblems = eventDateProblems('withdrawnOn', input.withdrawnOn, this.today());
    if (dateProblems.length) throw badInput(dateProblems);
    return this.deps.db.transaction(async (tx) => {
      const [found] = await tx.query(`SELECT episode_id FROM early_help_consent WHERE id = $1`, [input.id]);
      if (!found) {
        await this.deps.audit.record(this.deps.db, actor, {
          action: 'earlyHelpConsent.changeDenied', entity: 'early_help_consent', entityId: input.id, result: AuditResult.DENIED,
        });
        throw notFound();
      }
      const episode = await this.deps.earlyHelp.forChange(tx, actor, found.episode_id);
      const consent = camelRow<EarlyHelpConsent>((await tx.query(`SELECT * FROM early_help_consent WHERE id = $1 FOR UPDATE`, [input.id]))[0]);
      if (consent.withdrawnOn) throw new DomainError(EarlyHelpError.CONSENT_ALREADY_WITHDRAWN, 'The consent was already withdrawn');
      if (input.withdrawnOn < consent.givenOn) {
        throw badInput([{ field: 'withdrawnOn', message: `must not be before consent was given (${consent.givenOn})` }]);
      }
      const updated = await updateVersioned<EarlyHelpConsent>(tx, 'early_help_consent', consent.id, input.expectedVersion, {
        withdrawnOn: input.withdrawnOn, withdrawnBy: input.withdrawnBy, withdrawalReason: input.reason,
      }, actor.id);
      await this.deps.audit.record(tx, actor, {
        action: 'earlyHelpConsent.withdrawn', entity: 'early_help_consent', entityId: consent.id, childId: episode.primaryChildId,
        fields: ['withdrawnOn', 'withdrawnBy', 'withdrawalReason'],
      });
      const [standing] = await tx.query(
        `SELECT bool_or(kind = 'SUPPORT') AS support, bool_or(kind = 'SHARING') AS sharing
         FROM early_help_consent WHERE episode_id = $1 AND withdrawn_on IS NULL`,
        [episode.id],
      );
      const [open] = await tx.query(
        `SELECT id, version FROM early_help_referral WHERE episode_id = $1 AND status IN ('OFFERED', 'ACCEPTED') FOR UPDATE`,
        [episode.id],
      );
      if (open && !(standing.support && standing.sharing)) {
        await updateVersioned(tx, 'early_help_referral', open.id, open.version, {
          status: ProviderReferralStatus.CLOSED, closedOn: this.today(),
        }, actor.id);
        await updateVersioned(tx, 'early_help_episode', episode.id, episode.version, {
          status: EarlyHelpStatus.REQUESTED, providerId: null, leadPractitionerId: null, workStartedOn: null,
        }, actor.id);
        await this.deps.audit.record(tx, actor, {
          action: 'earlyHelpReferral.closed', entity: 'early_help_referral', entityId: open.id, childId: episode.primaryChildId,
          fields: [
            'status', 'closedOn', 'episode.status', 'episode.providerId', 'episode.leadPractitionerId', 'episode.workStartedOn', 'consentWithdrawn',
          ],
        });
      }
      return updated;
    });
  }

  /** A concern (provider staff while their referral is open, or the council): adds needs; safeguarding flags re-triage. */
  async raiseConcern(actor: Actor, input: RaiseEarlyHelpConcernInput): Promise<Idempotent<EarlyHelpConcern>> {
    const { idempotencyKey, ...content } = input;
    return this.deps.db.transaction(async (tx) => {
      const episode = await this.deps.earlyHelp.forChange(tx, actor, input.episodeId);
      const load = async (id: string) =>
        camelRow<EarlyHelpConcern>((await tx.query(`SELECT * FROM early_help_concern WHERE id = $1`, [id]))[0]);
      const result = await idempotent(tx, actor, idempotencyKey, 'raiseEarlyHelpConcern', content, async () => {
        if (episode.status === EarlyHelpStatus.CLOSED) {
          throw new DomainError(EarlyHelpError.WRONG_STAGE, 'The early help episode is closed');
        }
        const [row] = await tx.query(
          `INSERT INTO early_help_concern (episode_id, raised_at, safeguarding, description, needs_added, created_by_id, updated_by_id)
           VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING *`,
          [episode.id, this.deps.calendar.clock.now(), input.safeguarding, input.description, input.needsAdded, actor.id],
        );
        const added = input.needsAdded.filter((n) => !episode.needs.includes(n));
        if (added.length) {
          await tx.query(
            `UPDATE early_help_episode SET needs = needs || $2::text[], version = version + 1, updated_at = now(), updated_by_id = $3
             WHERE id = $1`,
            [episode.id, added, actor.id],
          );
        }
        await this.deps.audit.record(tx, actor, {
          action: 'earlyHelpConcern.raised', entity: 'early_help_concern', entityId: row.id, childId: episode.primaryChildId,
          fields: ['safeguarding', 'description', 'needsAdded', ...(added.length ? ['episode.needs'] : [])],
        });
        return camelRow<EarlyHelpConcern>(row);
      }, load);
      if (result.replayed) await this.auditReplay(tx, actor, 'raiseEarlyHelpConcern', 'early_help_concern', result.value.id, episode.primaryChildId);
      return result;
    });
  }

  /**
   * Offers a waiting family (REQUESTED) to a provider: consent to support and to sharing given and not withdrawn, a
   * contract in force today, and room in the provider's capacity (unless the council overrides it).
   */
  async commission(actor: Actor, input: CommissionEarlyHelpInput): Promise<EarlyHelpEpisode> {
    return this.deps.db.transaction(async (tx) => {
      const episode = await this.deps.earlyHelp.forChange(tx, actor, input.episodeId);
      if (episode.status !== EarlyHelpStatus.REQUESTED) {
        throw new DomainError(EarlyHelpError.WRONG_STAGE, 'Only a family waiting to be commissioned (REQUESTED) can be offered to a provider');
      }
      if (episode.version !== input.expectedVersion) throw staleVersion();
      const consents = await tx.query(
        `SELECT DISTINCT kind FROM early_help_consent WHERE episode_id = $1 AND withdrawn_on IS NULL`,
        [episode.id],
      );
      const kinds = new Set(consents.map((c: { kind: string }) => c.kind));
      if (!kinds.has(ConsentKind.SUPPORT) || !kinds.has(ConsentKind.SHARING)) {
        throw new DomainError(EarlyHelpError.CONSENT_REQUIRED, 'Consent to support and to sharing must be given (and not withdrawn) first');
      }
      // Locks the provider so that two commissions cannot both take its last place.
      const provider = await tx.query(`SELECT id FROM provider WHERE id = $1 FOR NO KEY UPDATE`, [input.providerId]);
      if (!provider.length) throw badInput([{ field: 'providerId', message: 'is not a provider' }]);
      const today = this.today();
      const [contract] = await tx.query(
        `SELECT id, (SELECT sum(capacity) FROM provider_contract c2
                     WHERE c2.provider_id = c.provider_id AND c2.starts_on <= $2 AND c2.ends_on >= $2)::int AS capacity,
                (SELECT count(*) FROM early_help_episode e
                 WHERE e.provider_id = c.provider_id AND e.status IN ('OFFERED', 'IN_WORK'))::int AS used
         FROM provider_contract c WHERE c.provider_id = $1 AND c.starts_on <= $2 AND c.ends_on >= $2
         ORDER BY c.starts_on DESC, c.created_at DESC LIMIT 1`,
        [input.providerId, today],
      );
      if (!contract) throw new DomainError(EarlyHelpError.NO_CONTRACT, 'The provider has no contract in force today');
      if (contract.used >= contract.capacity && !input.overCapacity) {
        throw new DomainError(EarlyHelpError.CAPACITY_FULL, `The provider's capacity is full (${contract.used} of ${contract.capacity})`);
      }
      await tx
        .query(
          `INSERT INTO early_help_referral (episode_id, provider_id, contract_id, status, offered_at, commissioning_note, created_by_id,
                                            updated_by_id)
           VALUES ($1, $2, $3, 'OFFERED', $4, $5, $6, $6) RETURNING id`,
          [episode.id, input.providerId, contract.id, this.deps.calendar.clock.now(), input.note ?? null, actor.id],
        )
        .catch((err: unknown) => {
          if (isUniqueViolation(err)) throw new DomainError(EarlyHelpError.WRONG_STAGE, 'The family is already offered to a provider');
          throw err;
        });
      const updated = await updateVersioned<EarlyHelpEpisode>(tx, 'early_help_episode', episode.id, input.expectedVersion, {
        status: EarlyHelpStatus.OFFERED, providerId: input.providerId,
      }, actor.id);
      await this.deps.audit.record(tx, actor, {
        action: 'earlyHelp.commissioned', entity: 'early_help_episode', entityId: episode.id, childId: episode.primaryChildId,
        fields: [
          'status', 'providerId', 'referral', ...(input.note ? ['commissioningNote'] : []),
          ...(contract.used >= contract.capacity ? ['overCapacity'] : []),
        ],
      });
      return updated;
    });
  }

  /**
   * The provider's referral for a decision, locked with its episode: only the actor's own organisation's (NOT_FOUND
   * otherwise, audited). An open referral also needs the episode in the actor's scope; a decided or closed one is
   * reachable so that a retried decision gets its first answer, but never past a restricted child or family the actor
   * is not named on.
   */
  private async referralForDecision(tx: EntityManager, actor: Actor, id: string): Promise<EarlyHelpReferral> {
    const p = new Params();
    const rows = actor.providerId
      ? await tx.query(
          `SELECT r.* FROM early_help_referral r JOIN early_help_episode e ON e.id = r.episode_id
           WHERE r.id = ${p.add(id)} AND r.provider_id = ${p.add(actor.providerId)}
             AND ((r.status NOT IN ('OFFERED', 'ACCEPTED') AND ${earlyHelpUnrestricted(actor, p, 'e')})
                  OR ${earlyHelpScope(actor, p, 'e', Access.WRITE)})
           FOR UPDATE OF r, e`,
          p.values,
        )
      : [];
    if (!rows.length) {
      await this.deps.audit.record(this.deps.db, actor, {
        action: 'earlyHelpReferral.changeDenied', entity: 'early_help_referral', entityId: id, result: AuditResult.DENIED,
      });
      throw notFound();
    }
    return camelRow<EarlyHelpReferral>(rows[0]);
  }

  /** A retried submission writes nothing but this row: the record was shown to the caller again. */
  private async auditReplay(tx: Runner, actor: Actor, operation: string, table: string, id: string, childId: string) {
    await this.deps.audit.record(tx, actor, { action: 'submission.replayed', entity: table, entityId: id, childId, fields: [operation] });
  }

  private async primaryChildOf(tx: Runner, episodeId: string): Promise<string> {
    return (await tx.query(`SELECT primary_child_id FROM early_help_episode WHERE id = $1`, [episodeId]))[0].primary_child_id;
  }

  private async loadReferral(tx: Runner, id: string): Promise<EarlyHelpReferral> {
    return camelRow<EarlyHelpReferral>((await tx.query(`SELECT * FROM early_help_referral WHERE id = $1`, [id]))[0]);
  }

  /** The episode as the actor may now see it (audited as a view), or null. */
  private async episodeAfter(tx: Runner, actor: Actor, episodeId: string): Promise<EarlyHelpEpisode | null> {
    return (await this.deps.earlyHelp.findMany(tx, actor, [episodeId]))[0] ?? null;
  }

  /**
   * The provider's manager accepts, naming a lead practitioner of the provider's staff; work starts (IN_WORK). Consent
   * to support and to sharing must stand (EARLY_HELP_CONSENT_REQUIRED).
   */
  async accept(actor: Actor, input: AcceptEarlyHelpReferralInput) {
    const { idempotencyKey, ...content } = input;
    return this.deps.db.transaction(async (tx) => {
      const found = await this.referralForDecision(tx, actor, input.id);
      const { value, replayed } = await idempotent(tx, actor, idempotencyKey, 'acceptEarlyHelpReferral', content, async () => {
        const { referral, episode } = await this.assertDecidable(tx, found, input.expectedVersion);
        const [consent] = await tx.query(
          `SELECT bool_or(kind = 'SUPPORT') AS support, bool_or(kind = 'SHARING') AS sharing
           FROM early_help_consent WHERE episode_id = $1 AND withdrawn_on IS NULL`,
          [episode.id],
        );
        if (!consent.support || !consent.sharing) {
          throw new DomainError(EarlyHelpError.CONSENT_REQUIRED, 'The family must consent to support and to sharing (not withdrawn) first');
        }
        const dateProblems = eventDateProblems('startDate', input.startDate, this.today(), {
          date: episode.requestedOn, what: 'the request for support',
        });
        if (dateProblems.length) throw badInput(dateProblems);
        const lead = await tx.query(
          `SELECT 1 FROM account a JOIN account_role r ON r.account_id = a.id
           WHERE a.id = $1 AND a.provider_id = $2 AND NOT a.disabled AND NOT a.system
             AND r.role_code IN ('PROVIDER_PRACTITIONER', 'PROVIDER_MANAGER') LIMIT 1`,
          [input.leadPractitionerId, referral.providerId],
        );
        if (!lead.length) {
          throw new DomainError(EarlyHelpError.LEAD_NOT_PROVIDER_STAFF, "The lead practitioner must be an active member of the provider's staff");
        }
        const accepted = await updateVersioned<EarlyHelpReferral>(tx, 'early_help_referral', referral.id, input.expectedVersion, {
          status: ProviderReferralStatus.ACCEPTED, decidedAt: this.deps.calendar.clock.now(), decidedById: actor.id,
        }, actor.id);
        await updateVersioned(tx, 'early_help_episode', episode.id, episode.version, {
          status: EarlyHelpStatus.IN_WORK, leadPractitionerId: input.leadPractitionerId, workStartedOn: input.startDate,
        }, actor.id);
        await this.deps.audit.record(tx, actor, {
          action: 'earlyHelpReferral.accepted', entity: 'early_help_referral', entityId: referral.id, childId: episode.primaryChildId,
          fields: ['status', 'decidedAt', 'decidedById', 'episode.status', 'episode.leadPractitionerId', 'episode.workStartedOn'],
        });
        return accepted;
      }, (id) => this.loadReferral(tx, id));
      if (replayed) await this.auditReplay(tx, actor, 'acceptEarlyHelpReferral', 'early_help_referral', value.id, await this.primaryChildOf(tx, value.episodeId));
      return { referral: value, episode: await this.episodeAfter(tx, actor, value.episodeId), replayed };
    });
  }

  /** The provider's manager declines with a reason: the family returns to the council's waiting list (REQUESTED). */
  async decline(actor: Actor, input: DeclineEarlyHelpReferralInput) {
    const { idempotencyKey, ...content } = input;
    return this.deps.db.transaction(async (tx) => {
      const found = await this.referralForDecision(tx, actor, input.id);
      const { value, replayed } = await idempotent(tx, actor, idempotencyKey, 'declineEarlyHelpReferral', content, async () => {
        const { referral, episode } = await this.assertDecidable(tx, found, input.expectedVersion);
        const declined = await updateVersioned<EarlyHelpReferral>(tx, 'early_help_referral', referral.id, input.expectedVersion, {
          status: ProviderReferralStatus.DECLINED, decidedAt: this.deps.calendar.clock.now(), decidedById: actor.id,
          declineReason: input.reason,
        }, actor.id);
        await updateVersioned(tx, 'early_help_episode', episode.id, episode.version, {
          status: EarlyHelpStatus.REQUESTED, providerId: null,
        }, actor.id);
        await this.deps.audit.record(tx, actor, {
          action: 'earlyHelpReferral.declined', entity: 'early_help_referral', entityId: referral.id, childId: episode.primaryChildId,
          fields: ['status', 'decidedAt', 'decidedById', 'declineReason', 'episode.status', 'episode.providerId'],
        });
        return declined;
      }, (id) => this.loadReferral(tx, id));
      if (replayed) await this.auditReplay(tx, actor, 'declineEarlyHelpReferral', 'early_help_referral', value.id, await this.primaryChildOf(tx, value.episodeId));
      return { referral: value, episode: await this.episodeAfter(tx, actor, value.episodeId), replayed };
    });
  }

  /** A first decision: the referral still OFFERED (else WRONG_STAGE) at the expected version (else STALE_VERSION). */
  private async assertDecidable(tx: Runner, referral: EarlyHelpReferral, expectedVersion: number) {
    if (referral.status !== ProviderReferralStatus.OFFERED) {
      throw new DomainError(EarlyHelpError.WRONG_STAGE, 'The referral has already been decided');
    }
    if (referral.version !== expectedVersion) throw staleVersion();
    const episode = camelRow<EarlyHelpEpisode>((await tx.query(`SELECT * FROM early_help_episode WHERE id = $1`, [referral.episodeId]))[0]);
    return { referral, episode };
  }

  /**
   * Every family from request to the start of work (REQUESTED or OFFERED), longest wait first, with its re-triage
   * flags, in one statement that also audits each row returned ('earlyHelpEpisode.listed'). Council early help sees
   * all (optionally one provider's offers); provider staff see only the families offered to their organisation, and
   * only the wait among the flags (contacts, referrals and concerns are social care's or other providers' business).
   */
  async waitingList(actor: Actor, providerId: string | null | undefined, first: number, after?: string): Promise<Page<EarlyHelpWaitingEntryType>> {
    const cursor = decodeCursor(after, ['date', 'uuid']);
    const p = new Params();
    const today = `${p.add(this.today())}::date`;
    const filters = [`e.status IN ('REQUESTED', 'OFFERED')`, earlyHelpScope(actor, p, 'e')];
    if (actor.providerId) filters.push(`e.status = 'OFFERED' AND e.provider_id = ${p.add(actor.providerId)}`);
    if (providerId) filters.push(`e.provider_id = ${p.add(providerId)}`);
    // A contact or referral on any of the children since the request (a step-up referral of this episode excepted).
    const sinceRequest = (table: string, extra = '') =>
      `EXISTS (SELECT 1 FROM early_help_child sc JOIN ${table} x ON x.child_id = sc.child_id
               WHERE sc.episode_id = pg.id AND x.received_at > pg.requested_at ${extra})`;
    const afterSql = cursor ? `WHERE (requested_on, id) > (${p.add(cursor[0])}::date, ${p.add(cursor[1])}::uuid)` : '';
    // Needs escalated while waiting: a concern (safeguarding or not) that added needs.
    const councilFlags = actor.providerId
      ? ''
      : `${sinceRequest('contact')} AS new_contact,
         ${sinceRequest('referral', 'AND x.early_help_episode_id IS DISTINCT FROM pg.id')} AS new_referral,
         EXISTS (SELECT 1 FROM early_help_concern k WHERE k.episode_id = pg.id AND k.safeguarding) AS safeguarding_concern,
         EXISTS (SELECT 1 FROM early_help_concern k WHERE k.episode_id = pg.id AND cardinality(k.needs_added) > 0) AS needs_escalated,`;
    // The re-triage flags are worked out for the page only; only the rows returned are audited; `remaining` tells
    // whether more follow.
    const page = `
      WITH matches AS (SELECT e.* FROM early_help_episode e WHERE ${filters.join(' AND ')}),
      page AS (SELECT m.* FROM matches m ${afterSql} ORDER BY requested_on, id LIMIT ${p.add(first)})
      SELECT pg.*, (${today} - pg.requested_on) AS days_waiting,
             (${today} - pg.requested_on) > s.retriage_after_days AS waited_too_long, ${councilFlags}
             (SELECT count(*) FROM matches) AS total_count, (SELECT count(*) FROM matches ${afterSql}) AS remaining
      FROM page pg CROSS JOIN early_help_setting s WHERE s.id = 1`;
    const rows = camelRows<WaitingRow>(
      await this.deps.db.query(auditedRead(actor, p, page, 'earlyHelpEpisode.listed', 'early_help_episode', 'v.primary_child_id'), p.values),
    );
    rows.sort((a, b) => (a.requestedOn < b.requestedOn ? -1 : a.requestedOn > b.requestedOn ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const edges = rows.map((r) => ({ cursor: encodeCursor([r.requestedOn, r.id]), node: waitingEntry(r) }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > 0 && rows[0].remaining > first, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
      totalCount: rows.length ? rows[0].totalCount : 0,
    };
  }
}
