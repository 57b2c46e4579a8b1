import type { DataSource, EntityManager } from 'typeorm';
import { RoleCode } from '../modules/identity/roles';
import { TeamKind } from '../modules/identity/identity.entity';
import { ETHNICITY_CODES, REFERRAL_SOURCE_CODES } from '../modules/reference/codes';
import { seedCasework } from './casework';
import { seedEarlyHelp } from './early-help';
import { seedCensusFaults, seedCensusPeriod } from './census-faults';

/**
 * The demo council (`npm run seed -- [--size small|council] [--reset]`): a deterministic synthetic demo council (no real people).
 *
 * Everything bulky is built set-based in SQL (generate_series); ids are md5-derived and every choice is arithmetic
 * on the row number, so the same run date gives the same data. Dates are relative to today in Europe/London.
 */

interface SizeSpec {
  children: number;
  families: number;
  /** Referrals per child, picked by arithmetic on the child number (the mean sets the referral total). */
  referralsPerChild: number[];
  assessmentTeams: number;
  cinTeams: number;
  cpTeams: number;
  earlyHelpHubs: number;
  socialWorkersPerTeam: number;
  frontDoorWorkers: number;
  earlyHelpPerHub: number;
  chairs: number;
  serviceManagers: number;
  businessSupport: number;
  providerPractitioners: number;
  analysts: number;
  igOfficers: number;
}

const SIZES: Record<'small' | 'council', SizeSpec> = {
  small: {
    children: 300, families: 180, referralsPerChild: [1, 2, 3],
    assessmentTeams: 1, cinTeams: 1, cpTeams: 1, earlyHelpHubs: 1, socialWorkersPerTeam: 7, frontDoorWorkers: 4,
    earlyHelpPerHub: 3, chairs: 2, serviceManagers: 1, businessSupport: 1, providerPractitioners: 1, analysts: 1, igOfficers: 1,
  },
  council: {
    children: 40_000, families: 25_000, referralsPerChild: [1, 1, 2, 2, 2, 3, 3, 4],
    assessmentTeams: 6, cinTeams: 10, cpTeams: 7, earlyHelpHubs: 3, socialWorkersPerTeam: 9, frontDoorWorkers: 14,
    earlyHelpPerHub: 7, chairs: 8, serviceManagers: 5, businessSupport: 3, providerPractitioners: 5, analysts: 3, igOfficers: 3,
  },
};

const DEMO_TEAM = 'Child in Need Team 1';
const FRONT_DOOR_TEAM = 'Front Door (MASH)';
const PROVIDERS = ['Brightpath Family Support CIC', 'Harbour Early Help Partnership'];
const EARLY_HELP_HUBS = ['Early Help Hub North', 'Early Help Hub South', 'Early Help Hub East', 'Early Help Hub West'];
/** Child numbers made restricted (never demo-caseload children: those are 1 mod the demo step). */
const RESTRICTED_CHILDREN = [4, 8, 12];

// Synthetic name pools: a mix of common given and family names, combined arithmetically (no real person data).
const BOY_NAMES = [
  'Oliver', 'Muhammad', 'Noah', 'Leo', 'Arthur', 'Oscar', 'George', 'Jack', 'Harry', 'Theo', 'Kai', 'Yusuf', 'Ibrahim',
  'Mateo', 'Kofi', 'Arjun', 'Rohan', 'Tomasz', 'Luca', 'Jayden', 'Ethan', 'Aiden', 'Caleb', 'Idris', 'Zain', 'Finley',
  'Reggie', 'Alfie', 'Joshua', 'Samuel', 'Elijah', 'Omar', 'Ayaan', 'Jakub', 'Dylan', 'Tyler', 'Kian', 'Emeka', 'Hamza', 'Rory',
];
const GIRL_NAMES = [
  'Olivia', 'Amelia', 'Isla', 'Ava', 'Lily', 'Freya', 'Ivy', 'Aisha', 'Maryam', 'Zara', 'Sofia', 'Grace', 'Mia', 'Ella',
  'Amara', 'Chloe', 'Priya', 'Hana', 'Layla', 'Ruby', 'Evie', 'Nia', 'Zofia', 'Esme', 'Poppy', 'Daisy', 'Fatima', 'Imani',
  'Maja', 'Niamh', 'Sienna', 'Willow', 'Ada', 'Inaya', 'Kezia', 'Leah', 'Nadia', 'Ola', 'Tiana', 'Yasmin',
];
const NEUTRAL_NAMES = ['Alex', 'Charlie', 'Jordan', 'Riley', 'Sam', 'Jamie', 'Robin', 'Morgan', 'Rowan', 'Sasha'];
const ADULT_WOMEN = [
  'Sarah', 'Emma', 'Laura', 'Rebecca', 'Jade', 'Gemma', 'Hannah', 'Nadia', 'Shabnam', 'Agnieszka', 'Chiamaka', 'Kerry',
  'Michelle', 'Natalie', 'Stacey', 'Amina', 'Joanne', 'Claire', 'Ioana', 'Samira', 'Abena', 'Leanne', 'Nicola', 'Rachel',
];
const ADULT_MEN = [
  'James', 'Daniel', 'Lee', 'Craig', 'Mark', 'Tariq', 'Imran', 'Piotr', 'Chinedu', 'Ryan', 'Darren', 'Wayne', 'Kwame',
  'Andrei', 'Scott', 'Paul', 'Adam', 'Jason', 'Asif', 'Marcus', 'Dean', 'Kyle', 'Bilal', 'Stuart',
];
const SURNAMES = [
  'Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Johnson', 'Roberts', 'Walker',
  'Wright', 'Robinson', 'Thompson', 'White', 'Hughes', 'Edwards', 'Green', 'Hall', 'Wood', 'Harris', 'Lewis', 'Martin',
  'Jackson', 'Clarke', 'Turner', 'Hill', 'Scott', 'Cooper', 'Morris', 'Ward', 'Moore', 'King', 'Watson', 'Baker', 'Harrison',
  'Morgan', 'Patel', 'Young', 'Allen', 'Mitchell', 'Anderson', 'Phillips', 'Bell', 'Parker', 'Khan', 'Ali', 'Hussain',
  'Ahmed', 'Begum', 'Okafor', 'Mensah', 'Nowak', 'Kowalski', 'Singh', 'Kaur', 'Nguyen', 'Chen', 'Silva', 'Santos', 'Murphy',
  "O'Brien", 'Kelly', 'Campbell', 'Stewart', 'Ibrahim', 'Osei', 'Adeyemi', 'Rossi', 'Popescu', 'Yilmaz', 'Haddad', 'Mahmood',
];
const STREETS = [
  'Example Road', 'Sample Street', 'Specimen Lane', 'Placeholder Close', 'Demo Avenue', 'Fictional Way', 'Mockingbird Drive',
  'Imaginary Crescent', 'Pretend Terrace', 'Notional Grove', 'Hypothesis Gardens', 'Prototype Row', 'Template Walk',
  'Dummy Court', 'Invented Place', 'Madeup Mews',
];
/** Ethnicity, weighted towards White British; every entry is an ETHNICITY_CODES value. */
const ETHNICITY_POOL = [
  ...Array<string>(18).fill('WBRI'),
  ...ETHNICITY_CODES.filter((c) => c !== 'NOBT' && c !== 'REFU'),
  'WOTH', 'MWBC', 'APKN', 'BAFR', 'REFU',
];
const NEED_POOL = ['N1', 'N1', 'N1', 'N1', 'N1', 'N2', 'N3', 'N3', 'N4', 'N4', 'N5', 'N6', 'N6', 'N7', 'N8', 'N8', 'N9', 'N0'];
/** One child in eleven has a disability, each code in turn (the census expects a spread of codes: 2887Q). */
const DISABILITY_POOL = ['AUT', 'LD', 'BEH', 'COMM', 'MOB', 'HEAR', 'VIS', 'PC', 'HAND', 'INC', 'CON', 'DDA'];
/**
 * Born on or before this date = of school age, so with a UPN or a reason it is unknown: the DfE's reckoning (rule 8770Q)
 * for the seed's census year, i.e. starting school by the September after it.
 */
const schoolAgeBornBy = (anchor: string) => `${seedCensusPeriod(anchor).year - 4}-08-31`;
const REFERRAL_REASONS = [
  'School reports repeated unexplained bruising and the child appears withdrawn.',
  'Police attended a domestic incident at the home overnight; children present.',
  'Health visitor concerned about home conditions and missed development checks.',
  'Neighbour reports children left alone in the evening on several occasions.',
  'Child disclosed to a teacher that they feel unsafe at home.',
  'Parent asking for support with behaviour that they can no longer manage.',
  'Missed hospital appointments and concerns about parental substance use.',
  'Young person missing from home twice this month; concerns about exploitation.',
  'Midwife referral: expectant parent with previous children subject to plans.',
  'GP concerned about a parent’s mental health and care of the children.',
  'Persistent school absence with no explanation from the family.',
  'Anonymous caller worried about shouting and crying from the property.',
];
const CONTACT_SUMMARIES = [
  'Telephone call to the front door; details taken and checks started.',
  'Online referral form received from a professional.',
  'Email from school safeguarding lead with chronology attached.',
  'Police protection notification received overnight.',
  'Walk-in enquiry at the council offices by a relative.',
  'Request for advice from a health professional.',
];
const DECISION_REASONS: Record<string, string[]> = {
  NO_FURTHER_ACTION: [
    'Checks completed; concerns addressed by universal services.',
    'Parent engaging with school support; no statutory role.',
    'Information shared with GP; threshold not met.',
    'Incident isolated and protective factors evident.',
  ],
  EARLY_HELP: [
    'Needs best met through an early help assessment with family consent.',
    'Family agree to targeted parenting support.',
    'Step down to early help hub for school-based support.',
    'Emerging needs; early help offer accepted.',
  ],
  ASSESSMENT: [
    'Child and family assessment needed to understand the risks.',
    'Cumulative concerns warrant a statutory assessment.',
    'Parent struggling to meet needs; assessment agreed with manager.',
    'Repeat referral pattern; assessment required.',
  ],
  STRATEGY_DISCUSSION: [
    'Reasonable cause to suspect significant harm; strategy discussion convened.',
    'Disclosure of physical harm; section 47 threshold met.',
    'Police and health agree a strategy discussion is needed today.',
    'Serious injury to a non-mobile baby; strategy discussion.',
  ],
};
const RESTRICTION_REASONS = [
  'Child is related to a member of council staff',
  'Family known publicly; access limited to named staff',
  'Safety plan: parent must not learn of the child’s whereabouts',
];

interface TeamRow { no: number; name: string; kind: TeamKind }
interface AccountRow {
  email: string;
  name: string;
  role: RoleCode;
  team: string | null;
  provider: string | null;
  newlyQualified: boolean;
  demo: boolean;
}

function buildTeams(s: SizeSpec): TeamRow[] {
  const names: [string, TeamKind][] = [[FRONT_DOOR_TEAM, TeamKind.FRONT_DOOR]];
  for (let n = 1; n <= s.assessmentTeams; n++) names.push([`Assessment Team ${n}`, TeamKind.ASSESSMENT]);
  for (let n = 1; n <= s.cinTeams; n++) names.push([`Child in Need Team ${n}`, TeamKind.CHILD_IN_NEED]);
  for (let n = 1; n <= s.cpTeams; n++) names.push([`Child Protection Team ${n}`, TeamKind.CHILD_PROTECTION]);
  for (let n = 0; n < s.earlyHelpHubs; n++) names.push([EARLY_HELP_HUBS[n] ?? `Early Help Hub ${n + 1}`, TeamKind.EARLY_HELP]);
  names.push(['Independent Reviewing Service', TeamKind.REVIEWING]);
  names.push(['Service Management', TeamKind.SERVICE]);
  names.push(['Business Support', TeamKind.BUSINESS_SUPPORT]);
  return names.map(([name, kind], i) => ({ no: i + 1, name, kind }));
}

/**
 * Accounts: one known demo account per role (emails that sort first for their role, so `npm run token -- --role X`
 * picks it), then generated staff as worker.NNNN@haven.example (which sorts after every demo address).
 */
function buildAccounts(s: SizeSpec, teams: TeamRow[]): AccountRow[] {
  const out: AccountRow[] = [];
  let seq = 0;
  const person = () => {
    seq += 1;
    const first = seq % 2 ? ADULT_WOMEN[(seq * 7) % ADULT_WOMEN.length] : ADULT_MEN[(seq * 5) % ADULT_MEN.length];
    return { email: `worker.${String(seq).padStart(4, '0')}@haven.example`, name: `${first} ${SURNAMES[(seq * 13) % SURNAMES.length]}` };
  };
  const demo = (local: string, name: string, role: RoleCode, team: string | null, provider: string | null = null) =>
    out.push({ email: `${local}@haven.example`, name, role, team, provider, newlyQualified: false, demo: true });
  const gen = (role: RoleCode, team: string | null, provider: string | null = null, newlyQualified = false) =>
    out.push({ ...person(), role, team, provider, newlyQualified, demo: false });

  const hubs = teams.filter((t) => t.kind === TeamKind.EARLY_HELP);
  demo('social.worker', 'Demo Social Worker', RoleCode.SOCIAL_WORKER, DEMO_TEAM);
  demo('team.manager', 'Demo Team Manager', RoleCode.TEAM_MANAGER, DEMO_TEAM);
  demo('front.door', 'Demo Front Door Screener', RoleCode.FRONT_DOOR, FRONT_DOOR_TEAM);
  demo('early.help.practitioner', 'Demo Early Help Practitioner', RoleCode.EARLY_HELP_PRACTITIONER, hubs[0].name);
  demo('early.help.manager', 'Demo Early Help Manager', RoleCode.TEAM_MANAGER, hubs[0].name);
  demo('conference.chair', 'Demo Conference Chair', RoleCode.CONFERENCE_CHAIR, 'Independent Reviewing Service');
  demo('service.manager', 'Demo Service Manager', RoleCode.SERVICE_MANAGER, 'Service Management');
  demo('provider.practitioner', 'Demo Provider Practitioner', RoleCode.PROVIDER_PRACTITIONER, null, PROVIDERS[0]);
  demo('provider.manager', 'Demo Provider Manager', RoleCode.PROVIDER_MANAGER, null, PROVIDERS[0]);
  demo('performance.analyst', 'Demo Performance Analyst', RoleCode.PERFORMANCE_ANALYST, null);
  demo('information.governance', 'Demo Information Governance Officer', RoleCode.INFORMATION_GOVERNANCE, null);
  demo('admin', 'Demo Administrator', RoleCode.ADMIN, null);

  let sw = 0;
  for (const t of teams) {
    if (t.kind === TeamKind.ASSESSMENT || t.kind === TeamKind.CHILD_IN_NEED || t.kind === TeamKind.CHILD_PROTECTION) {
      const isDemo = t.name === DEMO_TEAM;
      if (!isDemo) gen(RoleCode.TEAM_MANAGER, t.name);
      for (let n = isDemo ? 1 : 0; n < s.socialWorkersPerTeam; n++) gen(RoleCode.SOCIAL_WORKER, t.name, null, ++sw % 6 === 1);
    } else if (t.kind === TeamKind.FRONT_DOOR) {
      gen(RoleCode.TEAM_MANAGER, t.name);
      for (let n = 1; n < s.frontDoorWorkers; n++) gen(RoleCode.FRONT_DOOR, t.name);
    } else if (t.kind === TeamKind.EARLY_HELP) {
      if (t !== hubs[0]) gen(RoleCode.TEAM_MANAGER, t.name);
      for (let n = t === hubs[0] ? 1 : 0; n < s.earlyHelpPerHub; n++) gen(RoleCode.EARLY_HELP_PRACTITIONER, t.name);
    } else if (t.kind === TeamKind.REVIEWING) {
      for (let n = 1; n < s.chairs; n++) gen(RoleCode.CONFERENCE_CHAIR, t.name);
    } else if (t.kind === TeamKind.SERVICE) {
      for (let n = 1; n < s.serviceManagers; n++) gen(RoleCode.SERVICE_MANAGER, t.name);
    } else if (t.kind === TeamKind.BUSINESS_SUPPORT) {
      for (let n = 0; n < s.businessSupport; n++) gen(RoleCode.ADMIN, t.name);
    }
  }
  for (const [p, provider] of PROVIDERS.entries()) {
    if (p > 0) gen(RoleCode.PROVIDER_MANAGER, null, provider);
    for (let n = p === 0 ? 1 : 0; n < s.providerPractitioners; n++) gen(RoleCode.PROVIDER_PRACTITIONER, null, provider);
  }
  for (let n = 1; n < s.analysts; n++) gen(RoleCode.PERFORMANCE_ANALYST, null);
  for (let n = 1; n < s.igOfficers; n++) gen(RoleCode.INFORMATION_GOVERNANCE, null);
  return out;
}

const CASE_TABLES = [
  'team', 'provider', 'account', 'account_role', 'family', 'family_member', 'child', 'contact', 'referral', 'allocation',
  'restriction_grant', 'break_glass_access', 'episode', 'assessment', 'strategy_discussion', 'section47',
  'child_protection_conference', 'plan', 'plan_outcome', 'plan_action', 'plan_review', 'plan_revision', 'visit', 'supervision',
  'supervision_case', 'management_decision', 'provider_contract', 'data_sharing_agreement', 'early_help_episode', 'early_help_child',
  'early_help_consent', 'early_help_referral', 'early_help_concern', 'early_help_assessment', 'team_around_family_meeting', 'audit_entry',
];

async function seed(tx: EntityManager, spec: SizeSpec, teams: TeamRow[], accounts: AccountRow[], anchor: string) {
  const q = (sql: string, params: unknown[] = []) => tx.query(sql, params);

  // Deterministic helpers for this transaction only.
  await q(`CREATE OR REPLACE FUNCTION pg_temp.nhs_number(nine text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN c = 10 THEN NULL ELSE nine || (CASE WHEN c = 11 THEN 0 ELSE c END)::text END
    FROM (SELECT 11 - (sum(substr(nine, k, 1)::int * (11 - k)) % 11) AS c FROM generate_series(1, 9) k) x $$`);
  await q(`CREATE OR REPLACE FUNCTION pg_temp.upn(body text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT substr('ABCDEFGHJKLMNPQRTUVWXYZ', 1 + (sum(substr(body, k, 1)::int * (k + 1)) % 23)::int, 1) || body
    FROM generate_series(1, 12) k $$`);
  // Next working day after each calendar date (Monday-Friday less bank holidays).
  await q(
    `CREATE TEMP TABLE seed_next_wd ON COMMIT DROP AS
     WITH days AS (SELECT d::date AS d FROM generate_series($1::date - 1300, $1::date + 60, interval '1 day') d),
          wd AS (SELECT d FROM days WHERE extract(isodow FROM d) < 6 AND d NOT IN (SELECT date FROM bank_holiday))
     SELECT days.d, (SELECT min(wd.d) FROM wd WHERE wd.d > days.d) AS nxt FROM days`,
    [anchor],
  );
  await q(`ALTER TABLE seed_next_wd ADD PRIMARY KEY (d)`);

  // Teams, providers, accounts.
  await q(
    `INSERT INTO team (id, name, kind) SELECT md5('team-' || n)::uuid, n, k FROM unnest($1::text[], $2::text[]) AS t(n, k)`,
    [teams.map((t) => t.name), teams.map((t) => t.kind)],
  );
  await q(`INSERT INTO provider (id, name) SELECT md5('provider-' || n)::uuid, n FROM unnest($1::text[]) AS p(n)`, [PROVIDERS]);
  await q(
    `INSERT INTO account (id, email, display_name, team_id, provider_id, newly_qualified, created_by_id, updated_by_id)
     SELECT md5('account-' || e)::uuid, e, n, md5('team-' || t)::uuid, md5('provider-' || p)::uuid, nq,
            md5('account-admin@haven.example')::uuid, md5('account-admin@haven.example')::uuid
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[]) AS a(e, n, t, p, nq)`,
    [
      accounts.map((a) => a.email), accounts.map((a) => a.name), accounts.map((a) => a.team), accounts.map((a) => a.provider),
      accounts.map((a) => a.newlyQualified),
    ],
  );
  await q(
    `INSERT INTO account_role (account_id, role_code) SELECT md5('account-' || e)::uuid, r FROM unnest($1::text[], $2::text[]) AS a(e, r)`,
    [accounts.map((a) => a.email), accounts.map((a) => a.role)],
  );

  // Who can hold cases: non-demo social workers per social-work team, every early help practitioner per hub.
  const holders = new Map<string, string[]>();
  for (const a of accounts) {
    const holds = (a.role === RoleCode.SOCIAL_WORKER && !a.demo) || a.role === RoleCode.EARLY_HELP_PRACTITIONER;
    if (holds && a.team) holders.set(a.team, [...(holders.get(a.team) ?? []), a.email]);
  }
  const holderRows = [...holders.entries()].flatMap(([team, emails]) => emails.map((e, w) => ({ team, w, e })));
  await q(
    `CREATE TEMP TABLE seed_team ON COMMIT DROP AS
     SELECT t.no, md5('team-' || t.name)::uuid AS id, t.name, t.kind, coalesce(h.n, 0) AS worker_count
     FROM unnest($1::int[], $2::text[], $3::text[]) AS t(no, name, kind)
     LEFT JOIN (SELECT team, count(*)::int AS n FROM unnest($4::text[]) AS x(team) GROUP BY team) h ON h.team = t.name`,
    [teams.map((t) => t.no), teams.map((t) => t.name), teams.map((t) => t.kind), holderRows.map((h) => h.team)],
  );
  await q(
    `CREATE TEMP TABLE seed_worker ON COMMIT DROP AS
     SELECT t.no AS team_no, h.w AS w_no, md5('account-' || h.e)::uuid AS account_id
     FROM unnest($1::text[], $2::int[], $3::text[]) AS h(team, w, e) JOIN seed_team t ON t.name = h.team`,
    [holderRows.map((h) => h.team), holderRows.map((h) => h.w), holderRows.map((h) => h.e)],
  );

  const teamNo = (name: string) => teams.find((t) => t.name === name)!.no;
  const kindNos = (...kinds: TeamKind[]) => teams.filter((t) => kinds.includes(t.kind)).map((t) => t.no);
  const deciders = accounts
    .filter((a) => a.team === FRONT_DOOR_TEAM)
    .map((a) => a.email);
  const N = spec.children;
  const F = spec.families;
  const demoStep = Math.floor(N / 28);

  // Per-child plan: family, age, case profile (open case, pending decision, closed history) and who holds it.
  await q(
    `CREATE TEMP TABLE seed_child ON COMMIT DROP AS
     WITH base AS (
       SELECT i,
              (1 + ((i - 1)::bigint * $2) / $1)::int AS fam,
              (i * 7919) % 100 AS h,
              (i % 97 = 5) AS unborn,
              CASE WHEN i % $3 = 1 AND (i - 1) / $3 < 30 THEN (i - 1) / $3 END AS demo_k,
              i = ANY($4::int[]) AS restricted
       FROM generate_series(1, $1::int) i
     ), b2 AS (
       SELECT *, CASE WHEN unborn THEN NULL ELSE 1 + (i * 6007) % 6570 END AS age_days,
              (demo_k IS NOT NULL OR restricted OR h < 12) AS open,
              CASE WHEN demo_k IS NOT NULL THEN
                     CASE WHEN demo_k % 4 <> 0 THEN NULL WHEN (demo_k / 4) % 2 = 0 THEN 'OVERDUE'
                          WHEN (demo_k / 8) % 2 = 0 THEN 'TODAY' ELSE 'YESTERDAY' END
                   WHEN h < 1 OR h = 12 THEN (ARRAY['TODAY', 'YESTERDAY', 'OVERDUE'])[1 + i % 3] END AS pending
       FROM base
     ), b3 AS (
       SELECT *, CASE WHEN unborn THEN 90 ELSE least(1095, age_days + 150) END AS span,
              (open AND i % 3 = 0 AND NOT restricted) OR (NOT open AND h BETWEEN 13 AND 29) AS hist
       FROM b2
     ), b4 AS (
       SELECT *, greatest(($5::int[])[1 + (i * 4513) % cardinality($5::int[])],
                          1 + (open AND pending IS NOT NULL)::int + hist::int) AS nref,
              CASE pending WHEN 'TODAY' THEN 0 WHEN 'YESTERDAY' THEN 1 WHEN 'OVERDUE' THEN 7 + i % 40
                   ELSE CASE WHEN open THEN 10 + (i * 53) % greatest(span / 2 - 10, 1)
                             ELSE 2 + (i * 37) % greatest(span / 2 - 2, 1) END END AS latest_days
       FROM b3
     ), b5 AS (
       SELECT *,
              CASE WHEN open THEN 'SW' WHEN pending IS NOT NULL THEN 'FD'
                   WHEN (i + nref) % 5 < 2 AND latest_days <= 150 AND i % 6 = 0 THEN 'EH' END AS alloc_kind
       FROM b4
     ), b6 AS (
       SELECT *,
              CASE alloc_kind WHEN 'SW' THEN CASE WHEN demo_k IS NOT NULL OR restricted THEN $6::int
                                                   ELSE ($7::int[])[1 + (i * 31) % cardinality($7::int[])] END
                              WHEN 'EH' THEN ($8::int[])[1 + (i / 6) % cardinality($8::int[])]
                              WHEN 'FD' THEN $9::int END AS team_no,
              CASE WHEN hist THEN ($10::int[])[1 + i % cardinality($10::int[])] END AS hist_team_no,
              row_number() OVER (PARTITION BY fam ORDER BY i) AS fam_rank
       FROM b5
     ), b7 AS (
       SELECT *,
              row_number() OVER (PARTITION BY team_no, (demo_k IS NULL AND NOT restricted) ORDER BY i) AS team_rank,
              row_number() OVER (PARTITION BY hist_team_no ORDER BY i) AS hist_rank
       FROM b6
     )
     SELECT b7.*,
            CASE WHEN demo_k IS NOT NULL THEN md5('account-social.worker@haven.example')::uuid
                 WHEN restricted OR alloc_kind = 'FD' THEN NULL ELSE w.account_id END AS worker_id,
            hw.account_id AS hist_worker_id
     FROM b7
     LEFT JOIN seed_team t ON t.no = b7.team_no
     LEFT JOIN seed_worker w ON w.team_no = b7.team_no AND w.w_no = (b7.team_rank - 1) % greatest(t.worker_count, 1)
     LEFT JOIN seed_team ht ON ht.no = b7.hist_team_no
     LEFT JOIN seed_worker hw ON hw.team_no = b7.hist_team_no AND hw.w_no = (b7.hist_rank - 1) % greatest(ht.worker_count, 1)`,
    [
      N, F, demoStep, RESTRICTED_CHILDREN, spec.referralsPerChild, teamNo(DEMO_TEAM),
      kindNos(TeamKind.ASSESSMENT, TeamKind.CHILD_IN_NEED, TeamKind.CHILD_PROTECTION), kindNos(TeamKind.EARLY_HELP),
      teamNo(FRONT_DOOR_TEAM), kindNos(TeamKind.ASSESSMENT),
    ],
  );
  await q(`ALTER TABLE seed_child ADD PRIMARY KEY (i)`);

  const admin = `md5('account-admin@haven.example')::uuid`;

  // Families: synthetic surname (some double-barrelled), fictional address, a ZZ pseudo-postcode.
  await q(
    `CREATE TEMP TABLE seed_family ON COMMIT DROP AS
     SELECT f, CASE WHEN f % 17 = 0 THEN s[1 + a] || '-' || s[1 + (a + 1 + f % (n - 1)) % n] ELSE s[1 + a] END AS surname
     FROM generate_series(1, $1::int) f, LATERAL (SELECT $2::text[] AS s, cardinality($2::text[]) AS n) x,
          LATERAL (SELECT (f * 3011) % n AS a) y`,
    [F, SURNAMES],
  );
  await q(
    `INSERT INTO family (id, name, address, postcode, created_by_id, updated_by_id)
     SELECT md5('family-' || f)::uuid, surname || ' household',
            (1 + (f * 17) % 180)::text || ' ' || ($1::text[])[1 + (f * 7) % cardinality($1::text[])],
            'ZZ' || (1 + f % 9)::text || ' ' || (f % 10)::text
              || substr('ABDEFGHJLNPQRSTUWXYZ', 1 + (f / 10) % 20, 1) || substr('ABDEFGHJLNPQRSTUWXYZ', 1 + (f / 200) % 20, 1),
            ${admin}, ${admin}
     FROM seed_family`,
    [STREETS],
  );

  // Children.
  await q(
    `INSERT INTO child (id, la_child_id, first_name, last_name, date_of_birth, expected_date_of_birth, sex, ethnicity,
                        disabilities, nhs_number, upn, upn_unknown_reason, restricted, restriction_reason,
                        created_by_id, updated_by_id)
     SELECT md5('child-' || c.i)::uuid, 'C' || lpad(c.i::text, 7, '0'),
            CASE WHEN c.unborn THEN 'Unborn'
                 WHEN x.sex = 'U' THEN ($3::text[])[1 + (c.i * 7) % cardinality($3::text[])]
                 WHEN x.sex = 'M' THEN ($1::text[])[1 + (c.i * 7919) % cardinality($1::text[])]
                 ELSE ($2::text[])[1 + (c.i * 7919) % cardinality($2::text[])] END,
            CASE WHEN c.fam % 13 = 0 AND c.fam_rank > 1 THEN ($4::text[])[1 + (c.i * 211) % cardinality($4::text[])]
                 ELSE f.surname END,
            x.dob, CASE WHEN c.unborn THEN $5::date + 14 + (c.i * 13) % 140 END,
            x.sex,
            CASE WHEN c.unborn THEN 'NOBT' ELSE ($6::text[])[1 + (c.i * 3571) % cardinality($6::text[])] END,
            CASE WHEN c.unborn THEN '{NONE}'::text[] WHEN c.i % 41 = 0 THEN '{LD,COMM}'::text[]
                 WHEN c.i % 11 = 0 THEN ARRAY[($9::text[])[1 + (c.i / 11) % cardinality($9::text[])]] ELSE '{NONE}'::text[] END,
            CASE WHEN c.unborn OR c.i % 29 = 0 THEN NULL
                 ELSE coalesce(pg_temp.nhs_number('999' || lpad(c.i::text, 6, '0')), pg_temp.nhs_number('998' || lpad(c.i::text, 6, '0'))) END,
            CASE WHEN x.school_age AND c.i % 10 <> 3 THEN pg_temp.upn('201' || lpad(c.i::text, 9, '0')) END,
            CASE WHEN x.school_age AND c.i % 10 = 3 THEN (ARRAY['UN4', 'UN2', 'UN3', 'UN5'])[1 + (c.i / 10) % 4]
                 WHEN NOT c.unborn AND NOT x.school_age AND c.i % 3 = 0 THEN 'UN1' END,
            c.restricted,
            CASE WHEN c.restricted THEN ($7::text[])[1 + array_position($8::int[], c.i) % cardinality($7::text[])] END,
            ${admin}, ${admin}
     FROM seed_child c
     JOIN seed_family f ON f.f = c.fam
     CROSS JOIN LATERAL (SELECT
        CASE WHEN c.unborn OR c.i % 331 = 11 THEN 'U' WHEN c.i % 2 = 0 THEN 'M' ELSE 'F' END AS sex,
        CASE WHEN c.unborn THEN NULL ELSE $5::date - c.age_days END AS dob,
        NOT c.unborn AND $5::date - c.age_days <= $10::date AS school_age) x`,
    [
      BOY_NAMES, GIRL_NAMES, NEUTRAL_NAMES, SURNAMES, anchor, ETHNICITY_POOL, RESTRICTION_REASONS, RESTRICTED_CHILDREN, DISABILITY_POOL,
      schoolAgeBornBy(anchor),
    ],
  );

  // Family members: every child in its family, then one or two adults.
  await q(
    `INSERT INTO family_member (id, family_id, kind, child_id, relationship, parental_responsibility, created_by_id, updated_by_id)
     SELECT md5('member-child-' || i)::uuid, md5('family-' || fam)::uuid, 'CHILD', md5('child-' || i)::uuid,
            CASE WHEN fam_rank = 1 THEN 'CHILD' WHEN fam % 13 = 0 THEN 'HALF_SIBLING' ELSE 'SIBLING' END, false,
            ${admin}, ${admin}
     FROM seed_child`,
  );
  await q(
    `INSERT INTO family_member (id, family_id, kind, first_name, last_name, date_of_birth, relationship, parental_responsibility,
                                created_by_id, updated_by_id)
     SELECT md5('member-adult-' || f || '-' || k)::uuid, md5('family-' || f)::uuid, 'ADULT',
            CASE WHEN rel IN ('MOTHER') OR (rel = 'GRANDPARENT' AND k = 1) THEN ($1::text[])[1 + (f * 7 + k) % cardinality($1::text[])]
                 ELSE ($2::text[])[1 + (f * 11 + k) % cardinality($2::text[])] END,
            CASE WHEN rel = 'STEP_PARENT' THEN ($3::text[])[1 + (f * 29) % cardinality($3::text[])] ELSE split_part(surname, '-', k) END,
            $4::date - ((CASE WHEN rel = 'GRANDPARENT' THEN 52 ELSE 20 END + (f * 7 + k) % 22) * 365 + (f * 13) % 365),
            rel, rel IN ('MOTHER', 'FATHER'), ${admin}, ${admin}
     FROM seed_family
     CROSS JOIN LATERAL (VALUES
       (1, CASE WHEN f % 10 < 8 THEN 'MOTHER' WHEN f % 10 = 8 THEN 'FATHER' ELSE 'GRANDPARENT' END),
       (2, CASE WHEN f % 3 = 0 THEN NULL WHEN f % 10 < 8 AND f % 4 < 3 THEN 'FATHER' WHEN f % 10 < 9 THEN 'STEP_PARENT'
                ELSE 'GRANDPARENT' END)) AS a(k, rel)
     WHERE rel IS NOT NULL`,
    [ADULT_WOMEN, ADULT_MEN, SURNAMES, anchor],
  );

  // Referral plan: one row per referral, latest last; the latest carries the child's pending/open state.
  await q(
    `CREATE TEMP TABLE seed_ref ON COMMIT DROP AS
     WITH r AS (
       SELECT c.i, s, c.nref,
              CASE WHEN s = c.nref THEN c.latest_days
                   ELSE c.latest_days + ((c.span - c.latest_days) * (c.nref - s)) / c.nref END AS days_ago,
              CASE WHEN s = c.nref AND c.pending IS NOT NULL THEN 'PENDING'
                   WHEN c.open AND s = c.nref - (c.pending IS NOT NULL)::int THEN 'OPEN'
                   WHEN c.hist AND s = 1 THEN 'HIST' ELSE 'PLAIN' END AS part
       FROM seed_child c CROSS JOIN LATERAL generate_series(1, c.nref) s
     ), r2 AS (
       SELECT r.*, $1::date - days_ago AS referral_date,
              (($1::date - days_ago) + CASE WHEN days_ago = 0 THEN interval '5 minutes' + (i % 50) * interval '1 minute'
                                         ELSE interval '8 hours' + ((i * 7 + s * 13) % 600) * interval '1 minute' END)
                AT TIME ZONE 'Europe/London' AS received_at,
              CASE part WHEN 'PENDING' THEN NULL
                        WHEN 'OPEN' THEN CASE WHEN i % 4 = 0 THEN 'STRATEGY_DISCUSSION' ELSE 'ASSESSMENT' END
                        WHEN 'HIST' THEN 'ASSESSMENT'
                        ELSE CASE WHEN (i + s) % 5 < 2 THEN 'EARLY_HELP' ELSE 'NO_FURTHER_ACTION' END END AS decision
       FROM r
     )
     SELECT r2.*, w.nxt AS decision_due_on,
            CASE WHEN decision IS NULL THEN NULL
                 WHEN days_ago >= 14 AND (i * 3 + s) % 9 = 0
                   THEN ((w.nxt + 1 + i % 3) + interval '9 hours 30 minutes' + ((i * 11) % 300) * interval '1 minute')
                        AT TIME ZONE 'Europe/London'
                 ELSE received_at + (1 + (i + s) % 4) * interval '1 hour' END AS decided_at,
            md5('referral-' || i || '-' || s)::uuid AS id, md5('contact-' || i || '-' || s)::uuid AS contact_id,
            ($2::text[])[1 + (i * 3 + s * 7) % cardinality($2::text[])] AS source_code,
            md5('account-' || ($3::text[])[1 + (i + s) % cardinality($3::text[])])::uuid AS decider_id,
            md5('account-' || ($3::text[])[1 + (i + 3 * s + 1) % cardinality($3::text[])])::uuid AS recorder_id
     FROM r2 JOIN seed_next_wd w ON w.d = r2.referral_date`,
    [anchor, REFERRAL_SOURCE_CODES, deciders],
  );
  await q(`ALTER TABLE seed_ref ADD PRIMARY KEY (i, s)`);

  await q(
    `INSERT INTO contact (id, child_id, received_at, source_code, summary, outcome, created_at, updated_at, created_by_id, updated_by_id)
     SELECT contact_id, md5('child-' || i)::uuid, received_at, source_code,
            ($1::text[])[1 + (i + s) % cardinality($1::text[])], 'REFERRAL', received_at, received_at, recorder_id, recorder_id
     FROM seed_ref`,
    [CONTACT_SUMMARIES],
  );
  // Extra contacts that did not become referrals (advice, early help signposting, no further action).
  await q(
    `INSERT INTO contact (id, child_id, received_at, source_code, summary, outcome, created_at, updated_at, created_by_id, updated_by_id)
     SELECT md5('contact-extra-' || i)::uuid, md5('child-' || i)::uuid, t, ($3::text[])[1 + (i * 5) % cardinality($3::text[])],
            ($2::text[])[1 + i % cardinality($2::text[])],
            (ARRAY['INFORMATION_AND_ADVICE', 'EARLY_HELP', 'NO_FURTHER_ACTION'])[1 + i % 3], t, t,
            md5('account-' || ($4::text[])[1 + i % cardinality($4::text[])])::uuid,
            md5('account-' || ($4::text[])[1 + i % cardinality($4::text[])])::uuid
     FROM seed_child c
     CROSS JOIN LATERAL (SELECT (($1::date - (3 + (c.i * 41) % greatest(c.span - 3, 1))) + interval '10 hours'
                                 + (c.i % 400) * interval '1 minute') AT TIME ZONE 'Europe/London' AS t) x
     WHERE (i * 13) % 4 = 0`,
    [anchor, CONTACT_SUMMARIES, REFERRAL_SOURCE_CODES, deciders],
  );

  await q(
    `INSERT INTO referral (id, child_id, contact_id, received_at, referral_date, source_code, primary_need_code, reason,
                           decision_due_on, decision, decision_reason, decided_at, decided_by_id,
                           created_at, updated_at, created_by_id, updated_by_id)
     SELECT id, md5('child-' || i)::uuid, contact_id, received_at, referral_date, source_code,
            ($1::text[])[1 + (i * 7 + s) % cardinality($1::text[])],
            ($2::text[])[1 + (i * 5 + s * 3) % cardinality($2::text[])],
            decision_due_on, decision,
            CASE decision WHEN 'NO_FURTHER_ACTION' THEN ($3::text[])[1 + (i + s) % 4] WHEN 'EARLY_HELP' THEN ($4::text[])[1 + (i + s) % 4]
                          WHEN 'ASSESSMENT' THEN ($5::text[])[1 + (i + s) % 4] WHEN 'STRATEGY_DISCUSSION' THEN ($6::text[])[1 + (i + s) % 4] END,
            decided_at, CASE WHEN decision IS NOT NULL THEN decider_id END,
            received_at, coalesce(decided_at, received_at), recorder_id, CASE WHEN decision IS NOT NULL THEN decider_id ELSE recorder_id END
     FROM seed_ref`,
    [
      NEED_POOL, REFERRAL_REASONS, DECISION_REASONS.NO_FURTHER_ACTION, DECISION_REASONS.EARLY_HELP, DECISION_REASONS.ASSESSMENT,
      DECISION_REASONS.STRATEGY_DISCUSSION,
    ],
  );

  // Allocations: closed history (an earlier assessment), then at most one open allocation per child.
  await q(
    `INSERT INTO allocation (id, child_id, team_id, worker_id, started_at, ended_at, reason, created_at, updated_at,
                             created_by_id, updated_by_id)
     SELECT md5('allocation-hist-' || c.i)::uuid, md5('child-' || c.i)::uuid, t.id, c.hist_worker_id, st, en,
            'Allocated for a child and family assessment', st, en, r.decider_id, r.decider_id
     FROM seed_child c
     JOIN seed_team t ON t.no = c.hist_team_no
     JOIN seed_ref r ON r.i = c.i AND r.part = 'HIST'
     JOIN seed_ref nx ON nx.i = c.i AND nx.s = r.s + 1
     CROSS JOIN LATERAL (SELECT r.decided_at + interval '2 hours' AS st) a
     CROSS JOIN LATERAL (SELECT greatest(st + interval '1 day',
                                         least(st + (40 + (c.i * 7) % 200) * interval '1 day', nx.received_at - interval '1 day')) AS en) b
     WHERE c.hist`,
  );
  await q(
    `INSERT INTO allocation (id, child_id, team_id, worker_id, started_at, reason, created_at, updated_at, created_by_id, updated_by_id)
     SELECT md5('allocation-open-' || c.i)::uuid, md5('child-' || c.i)::uuid, t.id, c.worker_id, st,
            CASE t.kind WHEN 'FRONT_DOOR' THEN 'Awaiting front door decision'
                        WHEN 'ASSESSMENT' THEN 'Allocated for a child and family assessment'
                        WHEN 'CHILD_IN_NEED' THEN 'Child in need plan'
                        WHEN 'CHILD_PROTECTION' THEN CASE WHEN r.decision = 'STRATEGY_DISCUSSION'
                                                          THEN 'Section 47 enquiry and child protection plan' ELSE 'Child protection plan' END
                        ELSE 'Early help assessment and family support' END,
            st, st, coalesce(r.decider_id, r.recorder_id), coalesce(r.decider_id, r.recorder_id)
     FROM seed_child c
     JOIN seed_team t ON t.no = c.team_no
     JOIN seed_ref r ON r.i = c.i AND r.part = CASE c.alloc_kind WHEN 'SW' THEN 'OPEN' WHEN 'FD' THEN 'PENDING' ELSE 'PLAIN' END
                    AND (c.alloc_kind <> 'EH' OR r.s = c.nref)
     CROSS JOIN LATERAL (SELECT CASE WHEN c.alloc_kind = 'FD' THEN r.received_at + interval '10 minutes'
                                     ELSE r.decided_at + interval '2 hours' END AS st) a
     WHERE c.alloc_kind IS NOT NULL`,
  );

  // Restricted records: named to the demo team manager (not the social worker); one restricted family.
  const manager = `md5('account-team.manager@haven.example')::uuid`;
  await q(
    `INSERT INTO restriction_grant (id, child_id, account_id, granted_by_id)
     SELECT md5('grant-child-' || i)::uuid, md5('child-' || i)::uuid, ${manager}, md5('account-service.manager@haven.example')::uuid
     FROM seed_child WHERE restricted`,
  );
  await q(
    `UPDATE family SET restricted = true, restriction_reason = $2
     WHERE id = (SELECT md5('family-' || fam)::uuid FROM seed_child WHERE i = $1)`,
    [RESTRICTED_CHILDREN[0], 'Domestic abuse: the family’s address must not be disclosed'],
  );
  await q(
    `INSERT INTO restriction_grant (id, family_id, account_id, granted_by_id)
     SELECT md5('grant-family-' || fam)::uuid, md5('family-' || fam)::uuid, ${manager}, md5('account-service.manager@haven.example')::uuid
     FROM seed_child WHERE i = $1`,
    [RESTRICTED_CHILDREN[0]],
  );
}

export type SeedSize = 'small' | 'council';

export interface SeedReport {
  size: SeedSize;
  today: string;
  seconds: number;
  counts: { table: string; rows: number }[];
  demoAccounts: { email: string; role: string; place: string | null }[];
}

/**
 * Builds the demo council into `db` in one transaction. Refuses a database that already holds accounts or children
 * unless `reset` (which truncates case, identity and audit tables, keeping roles and bank holidays).
 */
export async function seedDemoCouncil(db: DataSource, size: SeedSize, opts: { reset?: boolean } = {}): Promise<SeedReport> {
  const spec = SIZES[size];
  if (!spec) throw new Error(`unknown size ${size}; use small or council`);
  const teams = buildTeams(spec);
  const accounts = buildAccounts(spec, teams);
  const started = Date.now();
  const [{ n }] = await db.query(`SELECT (SELECT count(*) FROM account) + (SELECT count(*) FROM child) AS n`);
  if (Number(n) > 0 && !opts.reset) {
    throw new Error('The database already has accounts or children. Run `npm run seed -- --reset` to wipe case data and reseed.');
  }
  const [{ today }] = await db.query(`SELECT to_char((now() AT TIME ZONE 'Europe/London')::date, 'YYYY-MM-DD') AS today`);
  await db.transaction(async (tx) => {
    if (opts.reset) {
      // Demo data only: the audit log refuses TRUNCATE unless the session says so.
      await tx.query(`SET LOCAL haven.allow_audit_truncate = on`);
      await tx.query(
        `TRUNCATE child, family, family_member, contact, referral, allocation, restriction_grant, break_glass_access,
                  episode, assessment, strategy_discussion, section47, child_protection_conference, plan, plan_outcome,
                  plan_action, plan_review, plan_revision, visit, supervision, supervision_case, management_decision,
                  provider_contract, data_sharing_agreement, early_help_episode, early_help_child, early_help_consent,
                  early_help_referral, early_help_concern, early_help_assessment, team_around_family_meeting, idempotency_key,
                  account_role, account, team, provider, audit_entry CASCADE`,
      );
    }
    await seed(tx, spec, teams, accounts, today);
    await seedCasework(tx, spec, today);
    await seedEarlyHelp(tx, size, today);
    await seedCensusFaults(tx, today);
  });
  // Fresh tables have no statistics: plan the first queries on real numbers.
  await db.query('ANALYZE');
  const seconds = (Date.now() - started) / 1000;
  const counts: { t: string; n: string }[] = await db.query(
    CASE_TABLES.map((t, k) => `SELECT ${k} AS k, '${t}' AS t, count(*)::text AS n FROM "${t}"`).join(' UNION ALL ') + ' ORDER BY k',
  );
  const demoAccounts: SeedReport['demoAccounts'] = await db.query(
    `SELECT a.email, r.role_code AS role, coalesce(t.name, p.name) AS place
     FROM account a JOIN account_role r ON r.account_id = a.id
     LEFT JOIN team t ON t.id = a.team_id LEFT JOIN provider p ON p.id = a.provider_id
     WHERE a.email = ANY($1) ORDER BY a.email`,
    [accounts.filter((a) => a.demo).map((a) => a.email)],
  );
  return { size, today, seconds, counts: counts.map((c) => ({ table: c.t, rows: Number(c.n) })), demoAccounts };
}
