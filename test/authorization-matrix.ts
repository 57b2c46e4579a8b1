import { randomUUID } from 'node:crypto';
import { createHaven, Haven } from '../src/app';
import { createLogger } from '../src/shared/logger';
import { Permission, ROLE_PERMISSIONS } from '../src/modules/identity/permissions';
import { RoleCode } from '../src/modules/identity/roles';
import { SHAREABLE_FIELDS, SUBMISSIONS } from '../src/modules/early-help/agreement';
import { createTestApi, GqlResult, TestApi, testConfig } from './api';
import { Council, factories, givenCouncil, TestAccount } from './factories';
import { earlyHelpFactories } from './early-help-factories';

/**
 * Shared pieces of the authorization matrix suites (authorization-*.int.test.ts): the role → account table, what a
 * rule grants a role, and one "world" of records built once per file, in and out of each role's scope.
 */

export const ROLES = Object.values(RoleCode);

export const ACCOUNT_OF: Record<RoleCode, keyof Council> = {
  SOCIAL_WORKER: 'socialWorker',
  TEAM_MANAGER: 'teamManager',
  FRONT_DOOR: 'frontDoor',
  EARLY_HELP_PRACTITIONER: 'earlyHelp',
  CONFERENCE_CHAIR: 'conferenceChair',
  SERVICE_MANAGER: 'serviceManager',
  PROVIDER_PRACTITIONER: 'providerPractitioner',
  PROVIDER_MANAGER: 'providerManager',
  PERFORMANCE_ANALYST: 'analyst',
  INFORMATION_GOVERNANCE: 'governance',
  ADMIN: 'admin',
};

export const isProviderRole = (role: RoleCode | null) => role === RoleCode.PROVIDER_PRACTITIONER || role === RoleCode.PROVIDER_MANAGER;

export type Expectation = 'granted' | 'denied';

/**
 * Whether a rule (by its name in describeRules) grants a role on `key` (`Type.field`). Accounts carry no team of kind
 * EARLY_HELP, so a role's permissions are exactly ROLE_PERMISSIONS. `agreement`: provider staff work under a data
 * sharing agreement in force that names every shareable field and every submission (the world below); without it,
 * nothing is granted by an agreement (the council suite of authorization-matrix.int.test.ts).
 */
export function expectationFor(ruleName: string | undefined, role: RoleCode | null, key = '', agreement = false): Expectation {
  if (ruleName === undefined) return 'denied'; // no rule: shield's fallback `deny`
  if (ruleName === 'allow') return 'granted';
  if (role === null) return 'denied';
  const perms = new Set<Permission>(ROLE_PERMISSIONS[role]);
  const provider = isProviderRole(role);
  const [kind, rest] = [ruleName.slice(0, ruleName.indexOf(':')), ruleName.slice(ruleName.indexOf(':') + 1)];
  const grant = (yes: boolean): Expectation => (yes ? 'granted' : 'denied');
  switch (kind) {
    case 'can':
      return grant(perms.has(rest as Permission));
    case 'canOrAgreed':
      return grant(perms.has(rest as Permission) || (provider && agreement && SHAREABLE_FIELDS.includes(key)));
    case 'canAny':
      return grant(rest.split('|').some((p) => perms.has(p as Permission)));
    case 'canSubmit': // provider staff also need the submission in their agreement
      return grant(perms.has(rest as Permission) && (!provider || (agreement && SUBMISSIONS.includes(key.split('.')[1]))));
    default:
      throw new Error(`the matrix does not know rule ${ruleName}: teach expectationFor what it grants`);
  }
}

/** The service clock of the world: Wednesday 2027-01-20 (records are dated before it). */
const NOW = '2027-01-20T12:00:00Z';

export interface Home {
  teamId: string;
  childId: string;
  laChildId: string;
  familyId: string;
  /** Another household of the child, not the one its early help is about (never shown to the provider). */
  otherFamilyId: string;
  /** An earlier early help episode of the child, closed, with Provider Two (its closure progress: NeedProgress). */
  closedEarlyHelpEpisodeId: string;
  /** An undecided referral (the one that opened the episode is decided). */
  referralId: string;
  episodeId: string;
  assessmentId: string;
  strategyDiscussionId: string;
  section47Id: string;
  cpPlanId: string;
  earlyHelpEpisodeId: string;
  familyPlanId: string;
  familyPlanVersion: number;
  familyPlanOutcomeIds: string[];
  consentId: string;
}

export interface World {
  c: Council;
  providerTwo: { id: string };
  contractOne: { id: string };
  contractTwo: { id: string };
  twoPractitioner: TestAccount;
  /** Team A's case (early help with Provider One, in work); the home of every council role but the front door. */
  A: Home;
  /** The front door team's case (early help with Provider Two). */
  F: Home;
  /** Team B's case (early help with Provider Two): another team's child and another provider's family. */
  B: Home;
  /** A team A child restricted to the other team's social worker, and a restricted household of an unrestricted team A child. */
  restricted: {
    childId: string; laChildId: string; lastName: string; childFamilyId: string; familyId: string; familyChildId: string;
    /** A request for early help about the restricted child (waiting, with consent). */
    earlyHelpEpisodeId: string; earlyHelpEpisodeVersion: number;
  };
  /** Team B children in early help with Provider One whose referral was CLOSED / DECLINED (access ended). */
  closedReferral: { childId: string; familyId: string; earlyHelpEpisodeId: string; referralId: string };
  declinedReferral: { childId: string; familyId: string; earlyHelpEpisodeId: string; referralId: string };
  /** An unallocated family offered to Provider One (on its waiting list). */
  offered: { childId: string; familyId: string; earlyHelpEpisodeId: string; referralId: string; referralVersion: number };
  /** The same, offered to Provider Two (another provider's waiting family). */
  offeredTwo: { childId: string; familyId: string; earlyHelpEpisodeId: string; referralId: string; referralVersion: number };
}

export interface MatrixSuite {
  api: TestApi;
  /** The app with its service clock at NOW. */
  haven: Haven;
  w: World;
  given: ReturnType<typeof factories>;
  eh: ReturnType<typeof earlyHelpFactories>;
  run<T = any>(query: string, variables?: Record<string, unknown>, as?: { id: string; email: string } | null): Promise<GqlResult<T>>;
  /** The account of a role. */
  as(role: RoleCode): TestAccount;
}

/** Runs an operation and throws on any error (world building). */
async function must<T = any>(p: Promise<GqlResult<T>>, what: string): Promise<T> {
  const r = await p;
  if (r.errors?.length) throw new Error(`building the matrix world: ${what}: ${JSON.stringify(r.errors)}`);
  return r.data as T;
}

/**
 * Registers hooks for a matrix file: one API, an empty database, the council, two providers with contracts and full
 * agreements, and the world, built ONCE for the file (the tests only read, or are refused).
 */
export function useMatrixWorld(): MatrixSuite {
  const s = {} as MatrixSuite;
  beforeAll(async () => {
    s.api = await createTestApi();
    s.haven = await createHaven(s.api.db, testConfig(), createLogger('silent'), { now: () => new Date(NOW) });
    s.given = factories(s.api.db);
    s.eh = earlyHelpFactories(s.api.db);
    s.run = async (query, variables, as) => {
      const contextValue = await s.haven.contextFor(as ? `Bearer ${await s.api.token(as)}` : undefined, randomUUID());
      const res = await s.haven.apollo.executeOperation({ query, variables }, { contextValue });
      if (res.body.kind !== 'single') throw new Error('unexpected incremental response');
      return res.body.singleResult as GqlResult;
    };
    await s.given.reset();
    await s.haven.services.calendar.load();
    const c = await givenCouncil(s.given);
    s.as = (role) => c[ACCOUNT_OF[role]] as TestAccount;
    s.w = await buildWorld(s, c);
  }, 120_000);
  afterAll(async () => {
    await s.haven.apollo.stop();
    await s.api.close();
  });
  return s;
}

const REQUESTED_ON = '2027-01-04';

async function buildWorld(s: MatrixSuite, c: Council): Promise<World> {
  const { given, eh, api } = s;
  const providerTwo = await given.provider('Provider Two');
  const contractOne = await eh.contract(c.provider.id);
  const contractTwo = await eh.contract(providerTwo.id);
  const twoPractitioner = await given.account(RoleCode.PROVIDER_PRACTITIONER, { providerId: providerTwo.id });
  await eh.agreement(c.provider.id);
  await eh.agreement(providerTwo.id);
  const partial = { c, providerTwo, contractOne, contractTwo, twoPractitioner } as World;

  partial.A = await home(s, partial, c.teamA.id, c.socialWorker, { providerId: c.provider.id, contractId: contractOne.id, lead: c.providerPractitioner });
  partial.F = await home(s, partial, c.frontDoorTeam.id, c.frontDoor, { providerId: providerTwo.id, contractId: contractTwo.id, lead: twoPractitioner });
  partial.B = await home(s, partial, c.teamB.id, c.otherSocialWorker, { providerId: providerTwo.id, contractId: contractTwo.id, lead: twoPractitioner });

  // Early help led by a council early help practitioner and by the provider's manager (their caseloads).
  for (const leadId of [c.earlyHelp.id, c.providerManager.id]) {
    const kid = await given.child({ teamId: c.teamA.id });
    await eh.episode({
      childIds: [kid.id], familyId: (await given.family([kid.id])).id, status: 'IN_WORK', providerId: c.provider.id, contractId: contractOne.id,
      leadId, requestedOn: REQUESTED_ON,
    });
  }

  const restrictedChild = await given.child({ teamId: c.teamA.id, restrictedTo: [c.otherSocialWorker.id], firstName: 'Restricta', lastName: 'Hiddenlow' });
  const restrictedChildFamily = await given.family([restrictedChild.id]);
  const familyChild = await given.child({ teamId: c.teamA.id });
  const restrictedFamily = await given.family([familyChild.id], { restrictedTo: [c.otherSocialWorker.id] });
  const restrictedEarlyHelp = await eh.episode({ childIds: [restrictedChild.id], familyId: restrictedChildFamily.id, requestedOn: REQUESTED_ON });
  partial.restricted = {
    childId: restrictedChild.id, laChildId: restrictedChild.laChildId, lastName: 'Hiddenlow', childFamilyId: restrictedChildFamily.id,
    familyId: restrictedFamily.id, familyChildId: familyChild.id, earlyHelpEpisodeId: restrictedEarlyHelp.id,
    earlyHelpEpisodeVersion: restrictedEarlyHelp.version,
  };

  const providerCase = async (status: 'CLOSED' | 'OFFERED', teamId?: string, two = false) => {
    const child = await given.child(teamId ? { teamId } : {});
    const family = await given.family([child.id]);
    const e = await eh.episode({
      childIds: [child.id], familyId: family.id, status, providerId: two ? providerTwo.id : c.provider.id,
      contractId: two ? contractTwo.id : contractOne.id, leadId: two ? twoPractitioner.id : c.providerPractitioner.id, requestedOn: REQUESTED_ON,
    });
    return { childId: child.id, familyId: family.id, earlyHelpEpisodeId: e.id, referralId: e.referralId!, referralVersion: e.referralVersion! };
  };
  partial.closedReferral = await providerCase('CLOSED', c.teamB.id);
  partial.declinedReferral = await providerCase('OFFERED', c.teamB.id);
  // Declined: the family is back on the council's list, the provider's access has ended.
  await api.db.query(
    `UPDATE early_help_referral SET status = 'DECLINED', decided_at = now(), decided_by_id = $2, decline_reason = 'No capacity' WHERE id = $1`,
    [partial.declinedReferral.referralId, c.providerManager.id],
  );
  await api.db.query(`UPDATE early_help_episode SET status = 'REQUESTED', provider_id = NULL WHERE id = $1`, [partial.declinedReferral.earlyHelpEpisodeId]);
  partial.offered = await providerCase('OFFERED');
  partial.offeredTwo = await providerCase('OFFERED', undefined, true);
  return partial;
}

/**
 * One child's whole record, allocated to `teamId` (worker: `worker`): contact, referrals, an episode of need with an
 * authorised assessment, a strategy discussion, a section 47, an initial conference and its child protection plan, a
 * visit, supervision and a management decision, a household, and early help in work with a provider (assessment,
 * team around the family meeting, family plan and its review, concern, consents).
 */
async function home(
  s: MatrixSuite,
  w: World,
  teamId: string,
  worker: TestAccount,
  provider: { providerId: string; contractId: string; lead: TestAccount },
): Promise<Home> {
  const { given, eh, api, run } = s;
  const c = w.c;
  const sm = c.serviceManager;
  const child = await given.child({ teamId, workerId: worker.id });
  await api.db.query(
    `INSERT INTO contact (child_id, received_at, source_code, summary, outcome) VALUES ($1, '2026-11-01T09:00:00Z', '2A', 'School reports bruising', 'REFERRAL')`,
    [child.id],
  );
  const decided = await given.referral(child.id, { receivedAt: '2026-11-02T10:00:00Z', decided: true });
  const [episode] = await api.db.query(
    `INSERT INTO episode (child_id, referral_id, start_date, referral_source, primary_need_code) VALUES ($1, $2, '2026-11-02', '2A', 'N1') RETURNING id`,
    [child.id, decided.id],
  );
  const [assessment] = await api.db.query(
    `INSERT INTO assessment (child_id, episode_id, status, start_date, due_date, completed_date, authorised_date, authorised_by_id, factors,
                             risks, strengths, protective_factors, childs_views, analysis, outcome)
     VALUES ($1, $2, 'AUTHORISED', '2026-11-02', haven_add_working_days('2026-11-02'::date, 45), '2026-12-01', '2026-12-02', $3, '{16A,16A}',
             'Set-up text of more than twenty chars', 'Set-up text of more than twenty chars', 'Set-up text of more than twenty chars',
             'Set-up text of more than twenty chars', 'Set-up text of more than twenty chars', 'STRATEGY_DISCUSSION') RETURNING id`,
    [child.id, episode.id, sm.id],
  );
  const referral = await given.referral(child.id, { receivedAt: '2027-01-19T10:00:00Z' });

  const participants = [{ agency: 'Police', name: 'DC Hale', role: 'Child abuse investigation' }, { agency: 'Health', name: 'Dr Osei', role: null }];
  const sd = await must(run(`mutation($input: RecordStrategyDiscussionInput!) { recordStrategyDiscussion(input: $input) { id } }`, {
    input: { childId: child.id, heldOn: '2027-01-04', participants, decision: 'START_SECTION_47', rationale: 'Unexplained bruising; joint enquiry agreed' },
  }, sm), 'strategy discussion');
  const s47 = await must(run(`mutation($input: StartSection47Input!) { startSection47(input: $input) { id } }`, {
    input: { strategyDiscussionId: sd.recordStrategyDiscussion.id, startDate: '2027-01-04' },
  }, sm), 'section 47');
  const conference = await must(run(`mutation($input: RecordChildProtectionConferenceInput!) { recordChildProtectionConference(input: $input) { id planId } }`, {
    input: {
      childId: child.id, kind: 'INITIAL', section47Id: s47.startSection47.id, heldOn: '2027-01-18', decision: 'PLAN', category: 'PHY',
      attendees: [{ agency: 'Police', name: 'DC Hale', role: 'Officer', attended: true }],
      rationale: 'Significant harm from physical abuse is likely',
      plan: {
        outcomes: [{ needToChange: 'The child is not hurt at home', measure: 'No injuries seen by school or health', byWhen: '2027-04-18' }],
        actions: [{ outcomeIndex: 0, who: 'Father', what: 'Attend the domestic abuse programme', byWhen: '2027-03-01' }],
        contingency: 'If the child is hurt again we will seek legal advice on care proceedings.',
        familySummary: 'We are worried the child is being hurt. This plan says what must change.',
      },
    },
  }, sm), 'initial conference');
  await must(run(`mutation($input: RecordVisitInput!) { recordVisit(input: $input) { id } }`, {
    input: { childId: child.id, visitedOn: '2027-01-19', type: 'HOME', seen: true, seenAlone: true, present: ['Mother'], note: 'Saw the child alone in her room.' },
  }, sm), 'visit');
  await must(run(`mutation($input: RecordSupervisionInput!) { recordSupervision(input: $input) { id } }`, {
    input: {
      superviseeId: worker.id, heldOn: '2027-01-19', generalNotes: 'Caseload manageable.',
      cases: [{ childId: child.id, reflection: 'Progress on the plan is slow.', decisions: 'Convene a core group.',
        actions: [{ owner: 'Social worker', action: 'Book the core group', byWhen: '2027-02-04' }] }],
    },
  }, sm), 'supervision');
  await must(run(`mutation($input: RecordManagementDecisionInput!) { recordManagementDecision(input: $input) { id } }`, {
    input: { childId: child.id, decidedOn: '2027-01-19', decision: 'Hold a core group within 10 days.', rationale: 'Risk has increased.' },
  }, sm), 'management decision');

  const family = await given.family([child.id]);
  const otherFamily = await given.family([child.id]);
  const e = await eh.episode({
    childIds: [child.id], familyId: family.id, status: 'IN_WORK', providerId: provider.providerId, contractId: provider.contractId,
    leadId: provider.lead.id, requestedOn: REQUESTED_ON,
  });
  const lead = provider.lead;
  await must(run(`mutation($input: SubmitEarlyHelpAssessmentInput!) { submitEarlyHelpAssessment(input: $input) { replayed } }`, {
    input: {
      episodeId: e.id, idempotencyKey: randomUUID(), reason: 'School attendance has fallen below 80%',
      needs: [{ need: 'EDUCATION', description: 'Attendance 78% this term' }], strengths: 'Warm relationship with mother',
      livedExperience: 'Mornings are chaotic', childVoice: '"I like school when I get there."', analysis: 'Support for mother should lift attendance',
      startedOn: '2027-01-06', completedOn: '2027-01-15',
    },
  }, lead), 'early help assessment');
  await must(run(`mutation($input: RecordTeamAroundFamilyMeetingInput!) { recordTeamAroundFamilyMeeting(input: $input) { replayed } }`, {
    input: {
      episodeId: e.id, idempotencyKey: randomUUID(), heldOn: '2027-01-12', attendees: [{ name: 'Ms Head', agency: 'Oakfield Primary', role: 'DSL' }],
      familyPresent: true, decisions: 'School to offer breakfast club', nextMeetingOn: '2027-02-09',
    },
  }, lead), 'team around the family meeting');
  const plan = await must(run(`mutation($input: StartFamilyPlanInput!) { startFamilyPlan(input: $input) { plan { id version outcomes { id } } } }`, {
    input: { episodeId: e.id, idempotencyKey: randomUUID(), startDate: '2027-01-12', content: familyPlanContent() },
  }, lead), 'family plan');
  const started = plan.startFamilyPlan.plan as { id: string; version: number; outcomes: { id: string }[] };
  const reviewed = await must(run(`mutation($input: ReviewFamilyPlanInput!) { reviewFamilyPlan(input: $input) { plan { id version } } }`, {
    input: {
      planId: started.id, expectedVersion: started.version, idempotencyKey: randomUUID(), heldOn: '2027-01-19', decision: 'CONTINUE',
      summary: 'Breakfast club is helping', progress: started.outcomes.map((o) => ({ outcomeId: o.id, rating: 'SOME_PROGRESS', comment: 'Two late days' })),
    },
  }, lead), 'family plan review');
  await must(run(`mutation($input: RaiseEarlyHelpConcernInput!) { raiseEarlyHelpConcern(input: $input) { replayed } }`, {
    input: { episodeId: e.id, idempotencyKey: randomUUID(), safeguarding: false, description: 'Neighbour reports shouting', needsAdded: ['HEALTH'] },
  }, lead), 'concern');
  // An earlier early help episode, closed with its progress per need (NeedProgress), with the other provider.
  const closed = await eh.episode({
    childIds: [child.id], status: 'CLOSED', providerId: w.providerTwo.id, contractId: w.contractTwo.id, leadId: w.twoPractitioner.id,
    requestedOn: '2026-06-01',
  });
  await api.db.query(
    `UPDATE early_help_episode SET closure_summary = 'Needs met', closure_progress = $2 WHERE id = $1`,
    [closed.id, JSON.stringify([{ need: 'EDUCATION', rating: 'IMPROVED', comment: 'Attendance is back above 95%' }])],
  );
  const [consent] = await api.db.query(`SELECT id FROM early_help_consent WHERE episode_id = $1 ORDER BY kind LIMIT 1`, [e.id]);
  return {
    teamId,
    childId: child.id,
    laChildId: child.laChildId,
    familyId: family.id,
    otherFamilyId: otherFamily.id,
    closedEarlyHelpEpisodeId: closed.id,
    referralId: referral.id,
    episodeId: episode.id,
    assessmentId: assessment.id,
    strategyDiscussionId: sd.recordStrategyDiscussion.id,
    section47Id: s47.startSection47.id,
    cpPlanId: conference.recordChildProtectionConference.planId,
    earlyHelpEpisodeId: e.id,
    familyPlanId: started.id,
    familyPlanVersion: reviewed.reviewFamilyPlan.plan.version,
    familyPlanOutcomeIds: started.outcomes.map((o) => o.id),
    consentId: consent.id,
  };
}

export const familyPlanContent = () => ({
  outcomes: [{ needToChange: 'Attendance rises above 95%', measure: 'School attendance report each half term', byWhen: '2027-04-01' }],
  actions: [{ outcomeIndex: 0, who: 'School', what: 'Offer a breakfast club place', byWhen: '2027-02-01' }],
  contingency: 'If attendance does not improve by April the TAF will consider an education welfare referral.',
  familySummary: 'We will help mornings go better so that school is easier.',
});

/**
 * Row counts of every table (audit_entry without its DENIED rows: refusals are audited), and the sum of `version` of
 * every table that has one, so an UPDATE shows too. Nothing else may change when a call is refused.
 */
export async function snapshot(api: TestApi): Promise<Record<string, number>> {
  const tables: { name: string; versioned: boolean }[] = await api.db.query(
    `SELECT t.table_name AS name, EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = 'public'
              AND c.table_name = t.table_name AND c.column_name = 'version') AS versioned
     FROM information_schema.tables t WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const parts = tables.flatMap(({ name, versioned }) => [
    name === 'audit_entry'
      ? `SELECT 'audit_entry (not DENIED)' AS t, count(*)::int AS n FROM audit_entry WHERE result IS DISTINCT FROM 'DENIED'`
      : `SELECT '${name}' AS t, count(*)::int AS n FROM "${name}"`,
    ...(versioned ? [`SELECT '${name}.version' AS t, coalesce(sum(version), 0)::int AS n FROM "${name}"`] : []),
  ]);
  const rows: { t: string; n: number }[] = await api.db.query(parts.join(' UNION ALL '));
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
}

export const snapshotDiff = (a: Record<string, number>, b: Record<string, number>) =>
  Object.keys({ ...a, ...b }).filter((k) => a[k] !== b[k]).map((k) => `${k} ${a[k]} -> ${b[k]}`);

/** DENIED audit rows of an actor about a record (entity id or child id). */
export async function deniedRows(api: TestApi, actorId: string, recordId: string): Promise<number> {
  const [{ n }] = await api.db.query(
    `SELECT count(*)::int AS n FROM audit_entry WHERE result = 'DENIED' AND actor_id = $1 AND (entity_id = $2 OR child_id = $2)`,
    [actorId, recordId],
  );
  return n;
}
