import { randomUUID } from 'node:crypto';
import { GraphQLObjectType, GraphQLSchema, getNamedType, isLeafType, isNonNullType, isObjectType } from 'graphql';
import { buildBareSchema, permissionMap } from '../src/app';
import { describeRules } from '../src/shared/authz/merge';
import { RoleCode } from '../src/modules/identity/roles';
import { SHAREABLE_FIELDS, SUBMISSIONS } from '../src/modules/early-help/agreement';
import { GqlResult } from './api';
import {
  expectationFor, familyPlanContent, Home, isProviderRole, MatrixSuite, ROLES, snapshot, snapshotDiff, useMatrixWorld, World,
} from './authorization-matrix';

/**
 * Every field of every object type × every role, generated from the schema. For each type, ENTRY lists routes that
 * reach an instance (a root query with the role's own records, or a parent's field); a role takes the first route
 * whose every hop its rules grant, and the test selects each field of the type there: a field the rule grants comes
 * back without FORBIDDEN, a field it does not is FORBIDDEN on exactly its path (each denied field under its own alias,
 * so a non-null field's refusal cannot hide another's). A role no route lets through is shown the door at the entry.
 * A type of the schema without an entry fails the test, so a new type cannot be missed.
 */

const s = useMatrixWorld();

/** The role's own case: the front door's is its team's, everyone else's team A's (providers: team A's early help). */
const homeOf = (w: World, role: RoleCode): Home => (role === RoleCode.FRONT_DOOR ? w.F : w.A);

type Vars = Record<string, unknown>;
interface Route {
  kind: 'query' | 'mutation';
  root: string;
  decl?: string;
  args?: string;
  /** Variables for the role (queries), or a fresh record for the role to change (mutations run once per document). */
  vars?: (s: MatrixSuite, role: RoleCode) => Vars | Promise<Vars>;
  path: string[];
}

const q = (root: string, decl: string, args: string, vars: Route['vars']) => (path: string[] = []): Route => ({ kind: 'query', root, decl, args, vars, path });
const byId = (root: string, id: (w: World, role: RoleCode) => string) => q(root, '$id: ID!', '(id: $id)', (m, r) => ({ id: id(m.w, r) }));
const child = byId('child', (w, r) => homeOf(w, r).childId);
const ehEpisode = byId('earlyHelpEpisode', (w, r) => homeOf(w, r).earlyHelpEpisodeId);
const family = byId('family', (w, r) => homeOf(w, r).familyId);
const plan = byId('plan', (w, r) => homeOf(w, r).cpPlanId);
const assessment = byId('assessment', (w, r) => homeOf(w, r).assessmentId);
const referral = byId('referral', (w, r) => homeOf(w, r).referralId);
const provider = byId('provider', (w) => w.c.provider.id);
const me = q('me', '', '', undefined);
const mySupervision = q('mySupervision', '', '', undefined);
const teamSupervision = q('teamSupervision', '$teamId: ID!', '(teamId: $teamId)', (m, r) => ({ teamId: homeOf(m.w, r).teamId }));
const children = q('children', '$search: ChildSearchInput!', '(search: $search, first: 5)', (m, r) => ({ search: { laChildId: homeOf(m.w, r).laChildId } }));
const myCaseload = q('myCaseload', '', '(first: 5)', undefined);
const teamCaseload = q('teamCaseload', '$teamId: ID!', '(teamId: $teamId, first: 5)', (m, r) => ({ teamId: homeOf(m.w, r).teamId }));
const chronology = q('chronology', '$childId: ID!', '(childId: $childId, first: 5)', (m, r) => ({ childId: homeOf(m.w, r).childId }));
const accessLog = q('childAccessLog', '$childId: ID!', '(childId: $childId, first: 5)', (m, r) => ({ childId: homeOf(m.w, r).childId }));
const waiting = q('earlyHelpWaitingList', '', '(first: 5)', undefined);
const providers = q('providers', '', '(first: 5)', undefined);
const bankHolidays = q('bankHolidays', '', '(year: 2027)', undefined);
const cinCensus = q('cinCensus', '', '(year: 2027)', undefined);
const annexA = q('annexA', '', '(input: { list: LIST_1_CONTACTS, from: "2026-04-01", to: "2027-01-20" })', undefined);
const performance = q('performance', '', '(input: { from: "2026-04-01", to: "2027-01-20" })', undefined);

/** A mutation whose payload is the only way to a type: run once per document on a fresh record in the role's scope. */
const mutation = (root: string, inputType: string, vars: NonNullable<Route['vars']>) => (path: string[] = []): Route =>
  ({ kind: 'mutation', root, decl: `$input: ${inputType}!`, args: '(input: $input)', vars, path });

/** A fresh early help episode of a new team A child, in work with Provider One (or offered to it). */
async function freshEarlyHelp(m: MatrixSuite, status: 'IN_WORK' | 'OFFERED' = 'IN_WORK') {
  const kid = await m.given.child({ teamId: m.w.c.teamA.id });
  const fam = await m.given.family([kid.id]);
  const e = await m.eh.episode({
    childIds: [kid.id], familyId: fam.id, status, providerId: m.w.c.provider.id, contractId: m.w.contractOne.id,
    leadId: m.w.c.providerPractitioner.id, requestedOn: '2027-01-04',
  });
  return { ...e, childId: kid.id };
}

const restrict = mutation('restrictRecord', 'RestrictRecordInput', async (m, role) => {
  const kid = await m.given.child({ teamId: m.w.c.teamA.id });
  return { input: { childId: kid.id, restricted: true, reason: 'Staff relative: restrict to the named team', namedAccountIds: [m.as(role).id], expectedVersion: kid.version } };
});
const breakGlass = mutation('breakGlass', 'BreakGlassInput', async (m, role) => {
  const kid = await m.given.child({ ...(role === RoleCode.FRONT_DOOR ? {} : { teamId: m.w.c.teamA.id }), restrictedTo: [m.w.c.otherSocialWorker.id] });
  return { input: { childId: kid.id, reason: 'Police at the door with an emergency protection order' } };
});
const createChild = mutation('createChild', 'CreateChildInput', () => ({
  input: { firstName: 'Matrix', lastName: `Newchild${randomUUID().slice(0, 6)}`, sex: 'F', dateOfBirth: '2019-03-04' },
}));
const createProviderAccount = mutation('createProviderAccount', 'CreateProviderAccountInput', (m) => ({
  input: { providerId: m.w.c.provider.id, email: `lead.${randomUUID().slice(0, 8)}@provider-one.example`, displayName: 'Sam Lead', role: 'PROVIDER_PRACTITIONER' },
}));
const recordSupervision = mutation('recordSupervision', 'RecordSupervisionInput', (m) => ({
  input: { superviseeId: m.w.c.socialWorker.id, heldOn: '2027-01-19', generalNotes: 'Wellbeing check.', cases: [] },
}));
const submitAssessment = mutation('submitEarlyHelpAssessment', 'SubmitEarlyHelpAssessmentInput', async (m) => ({
  input: {
    episodeId: (await freshEarlyHelp(m)).id, idempotencyKey: randomUUID(), reason: 'School attendance has fallen below 80%',
    needs: [{ need: 'EDUCATION', description: 'Attendance 78% this term' }], strengths: 'Warm relationship', livedExperience: 'Mornings are chaotic',
    childVoice: '"I like school."', analysis: 'Support for mother should lift attendance', startedOn: '2027-01-06', completedOn: '2027-01-15',
  },
}));
const recordMeeting = mutation('recordTeamAroundFamilyMeeting', 'RecordTeamAroundFamilyMeetingInput', async (m) => ({
  input: {
    episodeId: (await freshEarlyHelp(m)).id, idempotencyKey: randomUUID(), heldOn: '2027-01-12', familyPresent: true,
    attendees: [{ name: 'Ms Head', agency: 'Oakfield Primary', role: 'DSL' }], decisions: 'Breakfast club', nextMeetingOn: '2027-02-09',
  },
}));
const startFamilyPlan = mutation('startFamilyPlan', 'StartFamilyPlanInput', async (m) => ({
  input: { episodeId: (await freshEarlyHelp(m)).id, idempotencyKey: randomUUID(), startDate: '2027-01-12', content: familyPlanContent() },
}));
const raiseConcern = mutation('raiseEarlyHelpConcern', 'RaiseEarlyHelpConcernInput', async (m) => ({
  input: { episodeId: (await freshEarlyHelp(m)).id, idempotencyKey: randomUUID(), safeguarding: false, description: 'Neighbour reports shouting', needsAdded: ['HEALTH'] },
}));
const closeEarlyHelp = mutation('closeEarlyHelpEpisode', 'CloseEarlyHelpEpisodeInput', async (m) => {
  const e = await freshEarlyHelp(m);
  return {
    input: {
      episodeId: e.id, expectedVersion: e.version, idempotencyKey: randomUUID(), closedOn: '2027-01-19', outcome: 'NEEDS_MET', summary: 'Attendance is back above 95%',
      progress: ['EDUCATION', 'HEALTH', 'FINANCIAL_STABILITY'].map((need) => ({ need, rating: 'IMPROVED', comment: 'Better' })),
    },
  };
});
const acceptReferral = mutation('acceptEarlyHelpReferral', 'AcceptEarlyHelpReferralInput', async (m) => {
  const e = await freshEarlyHelp(m, 'OFFERED');
  return { input: { id: e.referralId, expectedVersion: e.referralVersion, idempotencyKey: randomUUID(), leadPractitionerId: m.w.c.providerPractitioner.id, startDate: '2027-01-18' } };
});
const stepUp = mutation('stepUpToSocialCare', 'StepUpToSocialCareInput', async (m) => {
  const e = await freshEarlyHelp(m);
  return { input: { episodeId: e.id, expectedVersion: e.version, primaryNeedCode: 'N1', reason: 'Disclosure at school of physical harm at home' } };
});
const stepDown = mutation('stepDownToEarlyHelp', 'StepDownToEarlyHelpInput', async (m) => {
  const kid = await m.given.child({ teamId: m.w.c.teamA.id });
  const ref = await m.given.referral(kid.id, { receivedAt: '2026-11-02T10:00:00Z', decided: true });
  const [ep] = await m.api.db.query(
    `INSERT INTO episode (child_id, referral_id, start_date, referral_source, primary_need_code) VALUES ($1, $2, '2026-11-02', '2A', 'N1') RETURNING id, version`,
    [kid.id, ref.id],
  );
  await m.api.db.query(
    `INSERT INTO assessment (child_id, episode_id, status, start_date, due_date, completed_date, authorised_date, authorised_by_id, factors,
                             risks, strengths, protective_factors, childs_views, analysis, outcome)
     VALUES ($1, $2, 'AUTHORISED', '2026-11-02', haven_add_working_days('2026-11-02'::date, 45), '2026-12-01', '2026-12-02', $3, '{3B}',
             'Set-up text of more than twenty chars', 'Set-up text of more than twenty chars', 'Set-up text of more than twenty chars',
             'Set-up text of more than twenty chars', 'Set-up text of more than twenty chars', 'EARLY_HELP')`,
    [kid.id, ep.id, m.w.c.serviceManager.id],
  );
  return { input: { episodeId: ep.id, expectedVersion: ep.version, closureDate: '2027-01-19', reason: 'Needs early help can meet', needs: ['EDUCATION'] } };
});

/** How to reach an instance of each type, in order of preference. */
const ENTRY: Record<string, Route[]> = {
  Me: [me()],
  Team: [me(['team']), child(['currentAllocation', 'team'])],
  Child: [child(), ehEpisode(['children'])],
  Allocation: [child(['currentAllocation'])],
  Worker: [child(['currentAllocation', 'worker']), ehEpisode(['leadPractitioner'])],
  ChildSummary: [children(['edges', 'node'])],
  ChildSummaryConnection: [children()],
  ChildSummaryEdge: [children(['edges'])],
  TeamSummary: [children(['edges', 'node', 'allocatedTeam'])],
  PageInfo: [children(['pageInfo']), myCaseload(['pageInfo']), providers(['pageInfo']), performance(['caseload', 'records', 'pageInfo'])],
  Assessment: [child(['assessments']), assessment()],
  Episode: [child(['episodes'])],
  Referral: [child(['referrals']), referral()],
  Contact: [child(['contacts'])],
  StrategyDiscussion: [child(['strategyDiscussions'])],
  Participant: [child(['strategyDiscussions', 'participants'])],
  Section47: [child(['section47s'])],
  ChildProtectionConference: [child(['conferences'])],
  Plan: [child(['plans']), plan(), ehEpisode(['familyPlan'])],
  PlanOutcome: [child(['plans', 'outcomes']), ehEpisode(['familyPlan', 'outcomes'])],
  PlanAction: [child(['plans', 'actions']), ehEpisode(['familyPlan', 'actions'])],
  PlanReview: [child(['plans', 'reviews']), ehEpisode(['familyPlan', 'reviews'])],
  OutcomeProgress: [child(['plans', 'reviews', 'progress']), ehEpisode(['familyPlan', 'reviews', 'progress'])],
  Visit: [child(['visits'])],
  VisitStatus: [child(['visitStatus'])],
  ManagementDecision: [child(['managementDecisions'])],
  SupervisionEntry: [child(['supervisionEntries'])],
  SupervisionAction: [child(['supervisionEntries', 'actions'])],
  SupervisionStatus: [mySupervision()],
  WorkerSupervisionStatus: [teamSupervision()],
  Supervision: [recordSupervision()],
  Family: [child(['families']), family(), ehEpisode(['family'])],
  FamilyMember: [family(['members']), ehEpisode(['family', 'members'])],
  EarlyHelpEpisode: [ehEpisode(), child(['earlyHelpEpisodes'])],
  EarlyHelpAssessment: [ehEpisode(['assessments'])],
  AssessedNeed: [ehEpisode(['assessments', 'needs'])],
  TeamAroundFamilyMeeting: [ehEpisode(['meetings'])],
  Attendee: [ehEpisode(['meetings', 'attendees'])],
  EarlyHelpConsent: [ehEpisode(['consents'])],
  EarlyHelpConcern: [ehEpisode(['concerns'])],
  EarlyHelpReferral: [ehEpisode(['providerReferrals'])],
  NeedProgress: [child(['earlyHelpEpisodes', 'closureProgress'])],
  EarlyHelpWaitingEntry: [waiting(['edges', 'node'])],
  EarlyHelpWaitingEntryConnection: [waiting()],
  EarlyHelpWaitingEntryEdge: [waiting(['edges'])],
  Provider: [provider(), providers(['edges', 'node']), ehEpisode(['provider'])],
  ProviderConnection: [providers()],
  ProviderEdge: [providers(['edges'])],
  ProviderContract: [provider(['contracts'])],
  DataSharingAgreement: [provider(['currentAgreement'])],
  ProviderCapacity: [provider(['capacity']), waiting(['edges', 'node', 'providerCapacity'])],
  ProviderAccount: [createProviderAccount()],
  CaseloadItem: [myCaseload(['edges', 'node']), teamCaseload(['edges', 'node'])],
  CaseloadItemConnection: [myCaseload(), teamCaseload()],
  CaseloadItemEdge: [myCaseload(['edges']), teamCaseload(['edges'])],
  DueItem: [myCaseload(['edges', 'node', 'due']), teamCaseload(['edges', 'node', 'due'])],
  ChronologyEvent: [chronology(['edges', 'node'])],
  ChronologyEventConnection: [chronology()],
  ChronologyEventEdge: [chronology(['edges'])],
  AuditEntry: [accessLog(['edges', 'node'])],
  AuditEntryConnection: [accessLog()],
  AuditEntryEdge: [accessLog(['edges'])],
  BankHoliday: [bankHolidays()],
  CinCensus: [cinCensus()],
  CensusIssue: [cinCensus(['issues']), child(['returnIssues'])],
  AnnexAExport: [annexA()],
  Performance: [performance()],
  Figure: [performance(['caseload'])],
  FigureBucket: [performance(['openCasesByTeam', 'buckets'])],
  FigureRecord: [performance(['caseload', 'records', 'edges', 'node'])],
  FigureRecordConnection: [performance(['caseload', 'records'])],
  FigureRecordEdge: [performance(['caseload', 'records', 'edges'])],
  Measure: [performance(['weightedCaseload'])],
  MeasureBucket: [performance(['weightedCaseload', 'buckets'])],
  WorkerCaseload: [performance(['workerCaseloads'])],
  Restriction: [restrict()],
  BreakGlassGrant: [breakGlass()],
  CreateChildPayload: [createChild()],
  SubmitEarlyHelpAssessmentPayload: [submitAssessment()],
  RecordTeamAroundFamilyMeetingPayload: [recordMeeting()],
  FamilyPlanPayload: [startFamilyPlan()],
  RaiseEarlyHelpConcernPayload: [raiseConcern()],
  CloseEarlyHelpEpisodePayload: [closeEarlyHelp()],
  EarlyHelpReferralDecisionPayload: [acceptReferral()],
  StepUpToSocialCarePayload: [stepUp()],
  StepDownToEarlyHelpPayload: [stepDown()],
};

/**
 * (type, role) pairs whose rules let the role through a route but whose scope holds no instance of the type in this
 * world, each with the reason; anything else that comes back empty fails the test.
 */
const NOTHING_IN_SCOPE: Record<string, string> = {
  'CaseloadItem as CONFERENCE_CHAIR': 'myCaseload: children allocated to the actor or early help they lead; chairs hold neither',
  'CaseloadItemEdge as CONFERENCE_CHAIR': 'as CaseloadItem',
  'DueItem as CONFERENCE_CHAIR': 'as CaseloadItem',
  'NeedProgress as PROVIDER_PRACTITIONER': "closure progress is on CLOSED episodes, and a provider's access ends when its referral closes",
  'NeedProgress as PROVIDER_MANAGER': 'as for the practitioner',
  'Provider as CONFERENCE_CHAIR':
    'EarlyHelpEpisode.provider is open to chairs (earlyhelp:read) but providerById scopes by provider:read, which chairs lack (null), ' +
    'and every Provider field is can:provider:read',
  ...Object.fromEntries(
    ['PROVIDER_PRACTITIONER', 'PROVIDER_MANAGER', 'PERFORMANCE_ANALYST', 'INFORMATION_GOVERNANCE', 'ADMIN'].map((r) => [
      `Team as ${r}`,
      'accounts without a team: Team is reached through me.team (null) or allocations (can:child:read, which they lack)',
    ]),
  ),
};

/** The `Type.field` keys a route's hops go through, and the type it ends at. */
function walk(schema: GraphQLSchema, route: Route): { keys: string[]; target: string } {
  let type = (route.kind === 'query' ? schema.getQueryType() : schema.getMutationType()) as GraphQLObjectType;
  const keys: string[] = [];
  for (const name of [route.root, ...route.path]) {
    const field = type.getFields()[name];
    if (!field) throw new Error(`route ${route.root}.${route.path.join('.')}: ${type.name} has no field ${name}`);
    keys.push(`${type.name}.${name}`);
    const next = getNamedType(field.type);
    if (!isObjectType(next)) throw new Error(`route ${route.root}.${route.path.join('.')}: ${type.name}.${name} is not an object`);
    type = next;
  }
  return { keys, target: type.name };
}

const nest = (path: string[], selection: string) => path.reduceRight((inner, p) => `{ ${p} ${inner} }`, `{ ${selection} }`);

function selectionOf(type: GraphQLObjectType, field: string): string {
  const f = type.getFields()[field];
  if (f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) throw new Error(`${type.name}.${field} needs arguments: teach the matrix`);
  return isLeafType(getNamedType(f.type)) ? field : `${field} { __typename }`;
}

/** The objects an alias reached at the end of the route (lists flattened, nulls dropped). */
function reached(data: Record<string, unknown> | null | undefined, alias: string, path: string[]): unknown[] {
  let level: unknown[] = [data?.[alias]];
  for (const p of path) level = level.flatMap((v) => (v == null ? [] : Array.isArray(v) ? v : [v])).map((v) => (v as Record<string, unknown>)[p]);
  return level.flatMap((v) => (v == null ? [] : Array.isArray(v) ? v : [v])).filter((v) => v != null);
}

const strip = (path: readonly (string | number)[] | undefined) => (path ?? []).filter((p) => typeof p === 'string').join('.');

interface Probe {
  alias: string;
  selection: string;
  /** The denied field, or null for the alias that selects every granted field. */
  denied: string | null;
}

/**
 * Runs the probes along a route as the role. Mutations change their record, so one per document; queries batch up to
 * 12 aliases (the armor allows 20), each document also carrying `alongside` (the granted fields) when given, so that
 * the refusals can be seen not to spoil the rest of the answer.
 */
async function runProbes(route: Route, role: RoleCode, probes: Probe[], alongside?: Probe): Promise<{ probe: Probe; res: GqlResult }[]> {
  const out: { probe: Probe; res: GqlResult }[] = [];
  const size = route.kind === 'mutation' ? 1 : 12;
  for (let i = 0; i < probes.length; i += size) {
    const chunk = [...(alongside && route.kind === 'query' ? [alongside] : []), ...probes.slice(i, i + size)];
    const vars = route.vars ? await route.vars(s, role) : {};
    const body = chunk.map((p) => `${p.alias}: ${route.root}${route.args ?? ''} ${nest(route.path, p.selection)}`).join(' ');
    const doc = `${route.kind} Matrix${route.decl ? `(${route.decl})` : ''} { ${body} }`;
    const res = await s.run(doc, vars, s.as(role));
    for (const probe of chunk) if (probe !== alongside) out.push({ probe, res });
  }
  return out;
}

test('every field of every type × every role: FORBIDDEN on exactly the fields the rules refuse, on records in scope', async () => {
  const started = Date.now();
  const schema = await buildBareSchema();
  const rules = describeRules(permissionMap());
  const types = Object.values(schema.getTypeMap())
    .filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__') && t.name !== 'Query' && t.name !== 'Mutation')
    .sort((a, b) => a.name.localeCompare(b.name));
  const failures: string[] = [];
  const noEntry = types.filter((t) => !ENTRY[t.name]).map((t) => `type ${t.name} has no entry point in the matrix: add one`);
  const stray = Object.keys(ENTRY).filter((n) => !types.some((t) => t.name === n)).map((n) => `ENTRY names ${n}, which is not in the schema`);
  failures.push(...noEntry, ...stray);
  const counts = { granted: 0, denied: 0, unreachable: 0, agreedGranted: 0, agreementDenied: 0, pairs: 0, unreachablePairs: 0, nothingInScope: 0 };
  const empty: string[] = [];

  for (const type of types) {
    const routes = ENTRY[type.name];
    if (!routes) continue;
    const walked = routes.map((r) => ({ route: r, ...walk(schema, r) }));
    for (const wr of walked) if (wr.target !== type.name) failures.push(`${type.name}: route ${wr.route.root}.${wr.route.path.join('.')} ends at ${wr.target}`);
    const fields = Object.keys(type.getFields()).sort();

    for (const role of ROLES) {
      counts.pairs++;
      const can = (key: string) => expectationFor(rules[key], role, key, true) === 'granted';
      const open = walked.filter((wr) => wr.keys.every(can));
      if (!open.length) {
        // No route lets this role through: the entry refuses it (FORBIDDEN on a hop) or there is nothing to show.
        const { route } = walked[0];
        const [{ res }] = await runProbes(route, role, [{ alias: 'x', selection: '__typename', denied: null }]);
        const refused = (res.errors ?? []).some((e) => e.extensions?.code === 'FORBIDDEN');
        if (!refused && reached(res.data as Record<string, unknown>, 'x', route.path).length) {
          failures.push(`${type.name} as ${role}: no route is granted, yet ${route.root}.${route.path.join('.')} reached one`);
        }
        counts.unreachablePairs++;
        counts.unreachable += fields.length;
        continue;
      }
      const granted = fields.filter((f) => can(`${type.name}.${f}`));
      const denied = fields.filter((f) => !can(`${type.name}.${f}`));
      let done = false;
      const why: string[] = [];
      for (const { route } of open) {
        const probes: Probe[] = [
          { alias: 'g', selection: granted.length ? granted.map((f) => selectionOf(type, f)).join(' ') : '__typename', denied: null },
          ...denied.map((f, i) => ({ alias: `d${i}`, selection: selectionOf(type, f), denied: f })),
        ];
        // The granted alias first, to learn whether this route reaches an instance for this role at all.
        const [first] = await runProbes(route, role, probes.slice(0, 1));
        if (!reached(first.res.data as Record<string, unknown>, 'g', route.path).length) {
          const forbidden = (first.res.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN');
          if (forbidden.length) failures.push(`${type.name} as ${role} via ${route.root}: a granted route refused: ${forbidden.map((e) => strip(e.path)).join(', ')}`);
          why.push(...(first.res.errors ?? []).map((e) => `${e.extensions?.code}: ${e.message}`));
          continue;
        }
        const where = `${type.name} as ${role} via ${[route.root, ...route.path].join('.')}`;
        for (const e of first.res.errors ?? []) failures.push(`${where}: granted fields answered ${e.extensions?.code} at ${strip(e.path)}: ${e.message}`);
        counts.granted += granted.length;
        if (isProviderRole(role)) counts.agreedGranted += granted.filter((f) => rules[`${type.name}.${f}`]?.startsWith('canOrAgreed')).length;
        for (const { probe, res } of await runProbes(route, role, probes.slice(1), probes[0])) {
          const mine = (res.errors ?? []).filter((e) => e.path?.[0] === probe.alias);
          if (route.kind === 'query' && (!reached(res.data as Record<string, unknown>, 'g', route.path).length || res.errors?.some((e) => e.path?.[0] === 'g'))) {
            failures.push(`${where}: beside the refusal of ${probe.denied}, the granted fields did not resolve`);
          }
          const want = [probe.alias, ...route.path, probe.denied].join('.');
          counts.denied++;
          if (isProviderRole(role) && rules[`${type.name}.${probe.denied}`]?.startsWith('canOrAgreed')) counts.agreementDenied++;
          if (!mine.length || mine.some((e) => e.extensions?.code !== 'FORBIDDEN' || strip(e.path) !== want)) {
            failures.push(`${where}: ${probe.denied} should be FORBIDDEN at ${want}, got ${JSON.stringify(mine.map((e) => [e.extensions?.code, strip(e.path)]))}`);
          }
        }
        done = true;
        break;
      }
      if (!done) {
        const key = `${type.name} as ${role}`;
        counts.nothingInScope++;
        counts.unreachable += fields.length;
        if (!NOTHING_IN_SCOPE[key]) empty.push(`${key}${why.length ? ` (${why.join('; ')})` : ''}`);
      }
    }
  }
  failures.push(...empty.map((k) => `${k}: granted by the rules, but no route reached an instance in scope (fixture, or list it in NOTHING_IN_SCOPE with the reason)`));

  // eslint-disable-next-line no-console
  console.log(
    `authorization fields: ${types.length} object types x ${ROLES.length} roles = ${counts.pairs} (type, role) pairs; field checks: ` +
      `${counts.granted} granted (no FORBIDDEN; ${counts.agreedGranted} of them provider fields granted by the agreement), ` +
      `${counts.denied} FORBIDDEN on exactly their path (${counts.agreementDenied} provider fields the agreement does not name); ` +
      `${counts.unreachablePairs} pairs refused at the entry and ${counts.nothingInScope} with nothing in scope (${counts.unreachable} field cases); ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  expect(failures).toEqual([]);
}, 300_000);

test("a narrower agreement: provider staff lose exactly the fields and submissions it leaves out", async () => {
  const w = s.w;
  const as = w.twoPractitioner;
  // A later agreement for Provider Two, in force from 2021, without two fields and one submission.
  const dropped = ['Child.nhsNumber', 'Family.address'];
  await s.api.db.query(
    `INSERT INTO data_sharing_agreement (provider_id, reference, starts_on, visible_fields, submissions) VALUES ($1, 'DSA-NARROW', '2021-01-01', $2, $3)`,
    [w.providerTwo.id, SHAREABLE_FIELDS.filter((f) => !dropped.includes(f)), SUBMISSIONS.filter((m) => m !== 'raiseEarlyHelpConcern')],
  );
  const codes = (r: GqlResult) => (r.errors ?? []).map((e) => `${e.extensions?.code}@${strip(e.path)}`);
  // F's household is in work with Provider Two: in scope, so only the agreement decides.
  const listed = await s.run(`query($id: ID!, $f: ID!) { child(id: $id) { firstName lastName } family(id: $f) { name postcode } }`,
    { id: w.F.childId, f: w.F.familyId }, as);
  expect(listed.errors).toBeUndefined();
  expect(listed.data?.child.firstName).toBeTruthy();
  const nhs = await s.run(`query($id: ID!) { child(id: $id) { nhsNumber } }`, { id: w.F.childId }, as);
  expect(codes(nhs)).toEqual(['FORBIDDEN@child.nhsNumber']);
  const address = await s.run(`query($id: ID!) { family(id: $id) { address } }`, { id: w.F.familyId }, as);
  expect(codes(address)).toEqual(['FORBIDDEN@family.address']);

  const before = await snapshot(s.api);
  const concern = await s.run(`mutation($input: RaiseEarlyHelpConcernInput!) { raiseEarlyHelpConcern(input: $input) { replayed } }`, {
    input: { episodeId: w.F.earlyHelpEpisodeId, idempotencyKey: randomUUID(), safeguarding: false, description: 'Neighbour reports shouting', needsAdded: ['HEALTH'] },
  }, as);
  expect(codes(concern)).toEqual(['FORBIDDEN@raiseEarlyHelpConcern']);
  expect(snapshotDiff(before, await snapshot(s.api))).toEqual([]);
  // A submission the agreement still names goes through on the same episode.
  const meeting = await s.run(`mutation($input: RecordTeamAroundFamilyMeetingInput!) { recordTeamAroundFamilyMeeting(input: $input) { replayed } }`, {
    input: { episodeId: w.F.earlyHelpEpisodeId, idempotencyKey: randomUUID(), heldOn: '2027-01-12', familyPresent: true,
      attendees: [{ name: 'Ms Head', agency: 'Oakfield Primary', role: 'DSL' }], decisions: 'Breakfast club', nextMeetingOn: '2027-02-09' },
  }, as);
  expect(meeting.errors).toBeUndefined();
  // eslint-disable-next-line no-console
  console.log('authorization fields (narrower agreement): 2 listed fields granted, 2 left-out fields and 1 left-out submission FORBIDDEN, 1 listed submission accepted');
});
