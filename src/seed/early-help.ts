import type { EntityManager } from 'typeorm';
import { SHAREABLE_FIELDS, SUBMISSIONS } from '../modules/early-help/agreement';
import { SupportingFamiliesNeed } from '../modules/early-help/early-help.entity';

/**
 * Early help for the demo council, after `seedCasework` in the same transaction (it reads the temp tables
 * `seed_child`, `seed_ref`, `seed_next_wd`, `cw_day`, `cw_wd` and the id helper `pg_temp.uid`): the two
 * providers' contracts (a previous one and one in force) and data sharing agreements, a system account per provider, and
 * early help episodes at every stage. Set-based SQL, md5-derived ids, choices arithmetic on hashes, dates relative to
 * the anchor date, like the rest of the seed.
 *
 * Episodes come from four places, so that no child is ever in two early help episodes at once and none overlaps a
 * social care episode:
 * - SD (stepped down): a request on the day a social care episode closed RC9, carrying the episode and its authorised
 *   assessment; waiting, in work or closed by how long ago that was, and closed before the child's next referral if any.
 * - SU (stepped up): a closed episode ending on the date of a later referral (decided for assessment or a strategy
 *   discussion) that becomes source 5D and carries `early_help_episode_id`; only where the child had nothing else going on.
 * - CA (council): children the front door allocated to an early help hub: in work with the hub worker as lead.
 * - FA (family): whole families with no open or pending social care, placed on a stage with a quota; every date of
 *   the episode falls after the family's last contact, referral or episode, so only the deliberate escalations
 *   (a contact, a referral or a safeguarding concern after the request) flag a waiting family for re-triage.
 */

type Size = 'small' | 'council';

const PROVIDER_NAMES = ['Brightpath Family Support CIC', 'Harbour Early Help Partnership'];
/** Per provider (Brightpath, Harbour): families in work at once under the contract in force and the previous one. */
const CAPACITY: Record<Size, { current: [number, number]; previous: [number, number] }> = {
  small: { current: [12, 8], previous: [10, 6] },
  council: { current: [300, 180], previous: [250, 150] },
};
/** Harbour's agreement leaves out the child's health and education identifiers. */
const HARBOUR_WITHHELD = ['Child.nhsNumber', 'Child.upn'];

/**
 * Family stages, placed in this order on families in a hashed order, each on families with room for its wait
 * (`dMin`/`dMax`: days from request to today; `retriage` is the configured re-triage threshold).
 * `prov`: 1 Brightpath, 2 Harbour (in-work quotas are reduced by the stepped-down families each provider already has).
 * CLOSED_ after work with a provider: NM needs met, CW consent withdrawn, MA moved away; CLOSED_NFA closed at triage.
 * W_ waiting (REQUESTED): LONG past the threshold, DECLINED by a provider, NOCONSENT (no consent to share yet), CONTACT /
 * REFERRAL / CONCERN escalated by a contact, a referral or a safeguarding concern after the request, NEW recent.
 */
interface FamilyStage { stage: string; dMin: number | 'retriage+1'; dMax: number | 'retriage-1'; quota: Record<Size, number>; prov?: 1 | 2 }
const FAMILY_STAGES: FamilyStage[] = [
  { stage: 'CLOSED_NM', dMin: 120, dMax: 720, quota: { small: 3, council: 700 } },
  { stage: 'CLOSED_CW', dMin: 120, dMax: 720, quota: { small: 1, council: 130 } },
  { stage: 'CLOSED_MA', dMin: 120, dMax: 720, quota: { small: 1, council: 110 } },
  { stage: 'CLOSED_NFA', dMin: 30, dMax: 720, quota: { small: 1, council: 140 } },
  { stage: 'IN_WORK', dMin: 25, dMax: 330, quota: { small: 8, council: 255 }, prov: 1 },
  { stage: 'IN_WORK', dMin: 25, dMax: 330, quota: { small: 6, council: 170 }, prov: 2 },
  { stage: 'W_LONG', dMin: 'retriage+1', dMax: 80, quota: { small: 3, council: 95 } },
  { stage: 'W_DECLINED', dMin: 8, dMax: 50, quota: { small: 1, council: 25 } },
  { stage: 'OFFERED', dMin: 3, dMax: 45, quota: { small: 2, council: 35 }, prov: 1 },
  { stage: 'OFFERED', dMin: 3, dMax: 45, quota: { small: 1, council: 15 }, prov: 2 },
  { stage: 'W_NOCONSENT', dMin: 2, dMax: 40, quota: { small: 2, council: 25 } },
  { stage: 'W_CONTACT', dMin: 4, dMax: 'retriage-1', quota: { small: 1, council: 30 } },
  { stage: 'W_REFERRAL', dMin: 4, dMax: 'retriage-1', quota: { small: 1, council: 20 } },
  { stage: 'W_CONCERN', dMin: 4, dMax: 'retriage-1', quota: { small: 1, council: 30 } },
  { stage: 'W_NEW', dMin: 1, dMax: 'retriage-1', quota: { small: 3, council: 120 } },
];
const STEP_UPS: Record<Size, number> = { small: 3, council: 180 };
const STEP_DOWNS: Record<Size, number> = { small: 6, council: 150 };
/** Brightpath families in work led by the demo provider practitioner. */
const DEMO_PRACTITIONER_FAMILIES = 5;

const NEEDS = Object.values(SupportingFamiliesNeed);
const NEED_DESCRIPTIONS: Record<SupportingFamiliesNeed, string> = {
  EDUCATION: 'Attendance below 90% this term; late most mornings.',
  EARLY_YEARS: 'Speech and language behind expected development at the two-year check.',
  HEALTH: 'Parent’s low mood affecting routines; child’s sleep poor.',
  SUBSTANCE_USE: 'Parent’s alcohol use increased since losing work.',
  FAMILY_RELATIONSHIPS: 'Frequent arguments between the adults; children unsettled.',
  SAFE_FROM_ABUSE_AND_EXPLOITATION: 'Young person out late with older peers; phone use worrying the parent.',
  CRIME: 'Young person cautioned for shoplifting with friends.',
  DOMESTIC_ABUSE: 'Past domestic abuse by a former partner; parent anxious about contact.',
  HOUSING: 'Overcrowded flat with damp; on the housing register.',
  FINANCIAL_STABILITY: 'Rent arrears and debt after a change in benefits.',
};
const REQUESTERS: [string, string, string][] = [
  ['Ms A. Example', 'Designated safeguarding lead', 'Oakfield Primary School'],
  ['Mr B. Sample', 'Head of year', 'Riverside Academy'],
  ['C. Specimen', 'Health visitor', '0-19 Public Health Nursing'],
  ['Dr D. Placeholder', 'GP', 'Demo Road Surgery'],
  ['E. Template', 'School nurse', '0-19 Public Health Nursing'],
  ['F. Notional', 'Family hub worker', 'Family Hub North'],
  ['PC G. Prototype', 'Neighbourhood officer', 'Police'],
  ['H. Madeup', 'Housing officer', 'Council housing'],
];
const REQUEST_REASONS = [
  'School attendance has fallen below 80% this term and mother is struggling with morning routines.',
  'Parents separating; the children are unsettled and school reports arguments at home.',
  'Family in rent arrears and facing eviction; parent asking for help with budgeting.',
  'Young person excluded twice this term; parent asks for help with behaviour at home.',
  'Baby not gaining weight as expected; parent isolated and low in mood.',
  'Father drinking more since losing his job; the children say home is tense.',
  'Child anxious and refusing school; parent unsure how to help.',
  'Overcrowded housing; the children share beds and are missing sleep.',
  'Young person spending time with older peers and coming home late.',
  'Parent with a long-term health condition needs support with the children’s routines.',
];
const ASSESSMENT_REASONS = [
  'To understand why attendance has fallen and agree a family plan with the school.',
  'The family asked for help with routines and behaviour; the assessment will show what support fits.',
  'Needs across housing, money and health; an assessment is needed to coordinate the team around the family.',
  'School concerned about the child’s emotional wellbeing; assessment to hear the child’s voice and agree support.',
  'Parent asked for support after a crisis; assessment to agree priorities with the family.',
];
const STEP_DOWN_REASON = 'Stepped down from social care: review the child and family assessment with the family and agree the early help plan.';
const STRENGTHS = [
  'Parent is warm with the children and wants things to change.',
  'Grandmother nearby and helps with school runs.',
  'The children are close and look out for each other.',
  'Family engaged well with the school’s pastoral team.',
  'Parent attends appointments and is honest about what is hard.',
];
const LIVED_EXPERIENCE = [
  'Mornings are rushed; the children often leave without breakfast and arrive late.',
  'Evenings are loud when money is tight; the child goes to their room to get away from it.',
  'The child looks after a younger sibling after school while mum works.',
  'Weekends are calm and the family go to the park together.',
  'The child sleeps badly in a shared, damp room and is tired at school.',
];
const CHILD_VOICES = [
  '“I like school when my friends are there. I don’t like it when mum is sad.”',
  '“I want us to stop shouting at home.”',
  '“I’d like my own bed and somewhere to do homework.”',
  'Too young to say; observed to be happy and settled with mum.',
  '“I want to go to football again.”',
];
const ANALYSES = [
  'Needs are driven by money worries and housing; with practical help the family can restore routines.',
  'Parent’s mental health is the main factor; linking with the GP and a family support worker should help.',
  'Relationship conflict is affecting the children; the family are motivated and protective factors are strong.',
  'Emerging risks outside the home; early help with the school and youth service should prevent escalation.',
];
const TAF_DECISIONS = [
  'Family support worker to visit weekly; school to provide a key adult; review in six weeks.',
  'Referral to the housing options team; budgeting support from the family hub; next meeting in six weeks.',
  'Parent to see the GP about low mood; child to join the school’s nurture group.',
  'Youth worker to meet the young person weekly; parent to attend a parenting course.',
];
const COMMISSIONING_NOTES = [
  'Family would prefer visits after school. Consent to share in place.',
  'Priority: attendance and routines. School is the main partner.',
  'Parent asks for a female worker if possible.',
  'Housing and money are the family’s first priorities.',
];
const DECLINE_REASONS = [
  'No capacity: all practitioners at full caseload; please re-offer next month.',
  'The family’s needs are outside our contract (specialist substance misuse support needed).',
  'No capacity in the family’s area until new staff start.',
];
const CLOSURE_SUMMARIES: Record<string, string[]> = {
  NEEDS_MET: [
    'Routines restored and attendance above 95%; the family are confident to carry on with the school’s support.',
    'Housing resolved and debts in a payment plan; the family no longer need targeted support.',
  ],
  STEPPED_UP: ['Concerns escalated during the work; stepped up to children’s social care with the assessment and plan.'],
  CONSENT_WITHDRAWN: ['Parent withdrew consent to early help; school informed and the family know how to ask again.'],
  MOVED_AWAY: ['The family moved to another local authority; the early help record was shared with consent.'],
  NO_FURTHER_ACTION: ['Triage found the family’s needs are met by universal services; no further action.'],
};
const PROGRESS_COMMENTS = [
  'Clear change the family and school both describe.',
  'Some progress; the family know where to get help.',
  'Little change during the work.',
];
const SAFEGUARDING_CONCERNS = [
  'School reports a bruise on the child’s arm with an inconsistent explanation while the family wait for support.',
  'Police attended a domestic incident at the home; children present.',
  'Young person found in the company of older males late at night.',
];
const WORK_CONCERNS = [
  'Parent missed two planned visits; worker to try a different time.',
  'Attendance dipped again after the holidays.',
];
const ESCALATION_CONTACTS = [
  'School called: attendance has fallen further while the family wait for early help.',
  'Health visitor called: the baby has lost weight and the parent is not coping.',
];
const ESCALATION_REFERRAL = 'Police notification: shouting at the address reported by a neighbour; family already waiting for early help.';
const PLAN_OUTCOMES = [
  'The children get to school on time every day',
  'The family has a budget and the rent is paid',
  'Bedtime and morning routines are calm',
  'Parent feels able to manage the children’s behaviour',
  'The young person is home by the agreed time',
  'The family lives in a safe, dry home',
];
const PLAN_MEASURES = [
  'Attendance above 95% for half a term',
  'No missed rent payments for three months',
  'Parent and child both rate routines 7/10 or better',
  'Fewer than one incident a week reported by the parent',
  'Home by curfew on every night in a month',
  'Repairs completed or a move agreed',
];
const PLAN_ACTIONS: [string, string][] = [
  ['Family support worker', 'Visit weekly to help with routines'],
  ['School', 'Provide a key adult and a breakfast club place'],
  ['Parent', 'Attend the parenting course on Tuesdays'],
  ['Family hub', 'Book a budgeting and benefits check'],
  ['Youth worker', 'Meet the young person weekly'],
  ['Housing officer', 'Inspect the damp and arrange repairs'],
];
const CONTINGENCIES = [
  'If attendance does not improve by the next review, the team will meet sooner and consider a different approach.',
  'If there are new safeguarding concerns, the lead practitioner will contact the front door the same day.',
  'If the family disengage, the lead practitioner will agree a last offer with them before closing.',
];
const FAMILY_SUMMARIES = [
  'You asked for help with mornings and school. We will help with routines and the school will help too.',
  'Money and housing worries are making home hard. We will help you sort the rent and get the repairs done.',
  'We will help everyone get on better at home and make sure the children feel listened to.',
];
const REVIEW_SUMMARIES = [
  'Good progress; routines better. Plan continues.',
  'Some progress; actions refreshed with the family.',
  'Limited progress this period; team to meet sooner.',
];
const VISIT_NOTES = [
  'Home visit: routines chart on the fridge; children calm and chatty.',
  'Met parent and child after school; talked about the week.',
  'Home visit with the family support worker; parent proud of progress.',
];
const VISIT_NOT_SEEN = 'No answer; text sent and the visit rearranged for Thursday.';

export async function seedEarlyHelp(tx: EntityManager, size: Size, anchor: string): Promise<void> {
  const q = (sql: string, params: unknown[] = []) =>
    tx.query(sql, params).catch((err: Error) => {
      throw new Error(`${err.message} in: ${sql.slice(0, 120)}`);
    });
  const cap = CAPACITY[size];
  const stamp = (d: string, hours = 10) => `((${d})::timestamp + interval '${hours} hours') AT TIME ZONE 'Europe/London'`;
  const admin = `md5('account-admin@haven.example')::uuid`;
  const [{ retriage }] = await q(`SELECT retriage_after_days AS retriage FROM early_help_setting WHERE id = 1`);
  // Tables filled earlier in this transaction have no statistics yet: without them the joins below plan as nested loops.
  await q(`ANALYZE seed_child, seed_ref, contact, referral, episode, assessment, allocation, family_member, account`);

  // A wide deterministic hash (0..2^28) of a text.
  await q(`CREATE OR REPLACE FUNCTION pg_temp.ehw(t text) RETURNS int LANGUAGE sql IMMUTABLE AS $$
    SELECT ('x' || substr(md5(t), 1, 7))::bit(28)::int $$`);

  // Providers: contracts (previous and in force), agreements, system accounts; staff for the episodes.
  await q(
    `CREATE TEMP TABLE eh_prov ON COMMIT DROP AS
     SELECT p.no, pv.id, pv.name,
            pg_temp.uid('contract-' || p.no || '-previous') AS contract_prev, pg_temp.uid('contract-' || p.no || '-current') AS contract_cur,
            $2::date - 365 AS cur_start,
            (SELECT array_agg(a.id ORDER BY a.email) FROM account a JOIN account_role r ON r.account_id = a.id
             WHERE a.provider_id = pv.id AND r.role_code = 'PROVIDER_PRACTITIONER' AND NOT a.system) AS practitioners,
            (SELECT a.id FROM account a JOIN account_role r ON r.account_id = a.id
             WHERE a.provider_id = pv.id AND r.role_code = 'PROVIDER_MANAGER' ORDER BY a.email LIMIT 1) AS manager
     FROM unnest($1::text[]) WITH ORDINALITY AS p(name, no) JOIN provider pv ON pv.name = p.name`,
    [PROVIDER_NAMES, anchor],
  );
  await q(
    `INSERT INTO provider_contract (id, provider_id, service, starts_on, ends_on, capacity, created_at, updated_at, created_by_id, updated_by_id)
     SELECT c.id, p.id, c.service, c.starts_on, c.ends_on, c.capacity, ${stamp('c.starts_on - 30')}, ${stamp('c.starts_on - 30')}, ${admin}, ${admin}
     FROM eh_prov p
     CROSS JOIN LATERAL (VALUES
       (p.contract_prev, 'Targeted family support (' || extract(year FROM $1::date - 1500) || '-' || extract(year FROM $1::date - 366) || ')',
        $1::date - 1500, $1::date - 366, ($2::int[])[p.no]),
       (p.contract_cur, 'Targeted family support and family plans', p.cur_start,
        $1::date + CASE p.no WHEN 1 THEN 730 ELSE 365 END, ($3::int[])[p.no])) AS c(id, service, starts_on, ends_on, capacity)`,
    [anchor, cap.previous, cap.current],
  );
  await q(
    `INSERT INTO data_sharing_agreement (id, provider_id, reference, starts_on, visible_fields, submissions, created_at, updated_at,
                                         created_by_id, updated_by_id)
     SELECT pg_temp.uid('agreement-' || p.no), p.id, 'DSA-' || upper(split_part(p.name, ' ', 1)) || '-' || extract(year FROM p.cur_start),
            p.cur_start, CASE p.no WHEN 1 THEN $1::text[] ELSE ARRAY(SELECT f FROM unnest($1::text[]) f WHERE NOT f = ANY($3::text[])) END,
            $2::text[], ${stamp('p.cur_start - 30')}, ${stamp('p.cur_start - 30')}, ${admin}, ${admin}
     FROM eh_prov p`,
    [[...SHAREABLE_FIELDS], [...SUBMISSIONS], HARBOUR_WITHHELD],
  );
  await q(
    `INSERT INTO account (id, email, display_name, provider_id, system, created_by_id, updated_by_id)
     SELECT md5('account-system.' || lower(split_part(p.name, ' ', 1)) || '@haven.example')::uuid,
            'system.' || lower(split_part(p.name, ' ', 1)) || '@haven.example', p.name || ' (case management system)', p.id, true,
            ${admin}, ${admin}
     FROM eh_prov p`,
  );
  await q(
    `INSERT INTO account_role (account_id, role_code)
     SELECT md5('account-system.' || lower(split_part(p.name, ' ', 1)) || '@haven.example')::uuid, 'PROVIDER_PRACTITIONER' FROM eh_prov p`,
  );
  await q(
    `CREATE TEMP TABLE eh_staff ON COMMIT DROP AS
     SELECT (SELECT array_agg(a.id ORDER BY a.email) FROM account a JOIN account_role r ON r.account_id = a.id
             WHERE r.role_code = 'EARLY_HELP_PRACTITIONER') AS council,
            (SELECT array_agg(a.id ORDER BY a.email) FROM account a JOIN account_role r ON r.account_id = a.id
             WHERE r.role_code = 'FRONT_DOOR') AS front_door`,
  );

  // When each child was last touched by social care (contact, referral or its decision, episode closure).
  await q(
    `CREATE TEMP TABLE eh_last ON COMMIT DROP AS
     SELECT c.i, greatest(r.last_on, ct.last_on, e.last_on) AS last_on
     FROM seed_child c
     LEFT JOIN (SELECT i, max(greatest(referral_date, (decided_at AT TIME ZONE 'Europe/London')::date)) AS last_on FROM seed_ref GROUP BY i) r
       ON r.i = c.i
     LEFT JOIN (SELECT child_id, max((received_at AT TIME ZONE 'Europe/London')::date) AS last_on FROM contact GROUP BY child_id) ct
       ON ct.child_id = md5('child-' || c.i)::uuid
     LEFT JOIN (SELECT child_id, max(closure_date) AS last_on FROM episode GROUP BY child_id) e ON e.child_id = md5('child-' || c.i)::uuid`,
  );
  await q(`ALTER TABLE eh_last ADD PRIMARY KEY (i)`);

  // One row per early help episode; the stage decides every date below.
  await q(
    `CREATE TEMP TABLE eh_ep (
       key text PRIMARY KEY, src text NOT NULL, stage text NOT NULL, i int NOT NULL, fam int, kids int[], d int NOT NULL,
       r date NOT NULL, lim date, prov int, h int, w int, requested_at timestamptz, creator uuid, req_name text, req_role text, req_agency text,
       status text, outcome text, offered date, decided date, ws date, closed date, esc date, lead uuid,
       sd_episode uuid, sd_assessment uuid, su_referral uuid, needs text[], a_start date, a_done date, p_start date) ON COMMIT DROP`,
  );

  // SD: social care episodes closed after an authorised assessment with no plan or enquiry (RC9, else RC8 made RC9 when RC9
  // closures are too few). The early help may still be open if the child has no social care now and no later episode;
  // otherwise it closed before the child's next referral (which must leave it 100 days).
  await q(
    `INSERT INTO eh_ep (key, src, stage, i, kids, d, r, lim, sd_episode, sd_assessment)
     SELECT 'SD-' || x.i, 'SD',
            CASE WHEN NOT x.free OR $1::date - x.closure_date > 320 THEN 'SD_CLOSED'
                 WHEN $1::date - x.closure_date <= 40 THEN 'SD_WAIT' ELSE 'SD_WORK' END,
            x.i, ARRAY[x.i], $1::date - x.closure_date, x.closure_date, CASE WHEN NOT x.free THEN x.next_on - 1 END, x.id, x.assessment_id
     FROM (
       SELECT DISTINCT ON (sr.i) sr.i, e.id, e.closure_date, e.closure_reason, a.id AS assessment_id, n.next_on,
              NOT (c.open OR c.pending IS NOT NULL OR c.alloc_kind IS NOT NULL) AND NOT n.later_episode AS free
       FROM episode e
       JOIN seed_ref sr ON sr.id = e.referral_id
       JOIN seed_child c ON c.i = sr.i AND NOT c.restricted
       JOIN assessment a ON a.episode_id = e.id AND a.status = 'AUTHORISED'
       CROSS JOIN LATERAL (SELECT min(n.referral_date) AS next_on,
                                  coalesce(bool_or(n.decision IN ('ASSESSMENT', 'STRATEGY_DISCUSSION')), false) AS later_episode
                           FROM seed_ref n WHERE n.i = sr.i AND n.s > sr.s) n
       WHERE e.closure_reason IN ('RC8', 'RC9') AND e.closure_date < $1::date
       ORDER BY sr.i, e.closure_reason DESC, e.closure_date DESC) x
     WHERE x.free OR x.next_on - x.closure_date >= 100
     ORDER BY x.closure_reason DESC, md5('sd-' || x.i) LIMIT $2`,
    [anchor, STEP_DOWNS[size]],
  );
  await q(`UPDATE episode x SET closure_reason = 'RC9' FROM eh_ep e WHERE e.src = 'SD' AND x.id = e.sd_episode AND x.closure_reason = 'RC8'`);
  await q(`UPDATE assessment a SET outcome = 'EARLY_HELP' FROM eh_ep e WHERE e.src = 'SD' AND a.id = e.sd_assessment`);

  // SU: referrals for assessment or a strategy discussion with a quiet stretch of 120+ days before them.
  await q(
    `INSERT INTO eh_ep (key, src, stage, i, kids, d, r, su_referral, closed)
     SELECT 'SU-' || x.i, 'SU', 'SU', x.i, ARRAY[x.i], $1::date - x.r, x.r, x.id, x.referral_date
     FROM (
       SELECT DISTINCT ON (sr.i) sr.i, sr.id, sr.referral_date,
              sr.referral_date - (90 + pg_temp.ehw('su-' || sr.i) % (least(sr.referral_date - p.prev_on - 5, 400) - 89)) AS r
       FROM seed_ref sr
       JOIN seed_child c ON c.i = sr.i AND NOT c.restricted AND NOT c.unborn
       JOIN episode e ON e.referral_id = sr.id
       CROSS JOIN LATERAL (SELECT greatest(
           (SELECT max(greatest(p.referral_date, (p.decided_at AT TIME ZONE 'Europe/London')::date)) FROM seed_ref p WHERE p.i = sr.i AND p.s < sr.s),
           (SELECT max((ct.received_at AT TIME ZONE 'Europe/London')::date) FROM contact ct
            WHERE ct.child_id = md5('child-' || sr.i)::uuid AND ct.received_at < sr.received_at),
           (SELECT max(pe.closure_date) FROM episode pe WHERE pe.child_id = md5('child-' || sr.i)::uuid AND pe.start_date < sr.referral_date),
           sr.referral_date - 2000) AS prev_on) p
       WHERE sr.decision IN ('ASSESSMENT', 'STRATEGY_DISCUSSION') AND sr.referral_date >= $1::date - 1000
         AND NOT EXISTS (SELECT 1 FROM eh_ep sd WHERE sd.src = 'SD' AND sd.i = sr.i AND sd.r < sr.referral_date)
         AND sr.referral_date - p.prev_on >= 120
         AND c.age_days - ($1::date - sr.referral_date) >= 160
       ORDER BY sr.i, sr.s) x
     ORDER BY md5('su-' || x.i) LIMIT $2`,
    [anchor, STEP_UPS[size]],
  );
  // The request cannot predate the child's birth by much: keep it at least 60 days after birth.
  await q(
    `UPDATE eh_ep e SET r = greatest(e.r, $1::date - c.age_days + 60), d = $1::date - greatest(e.r, $1::date - c.age_days + 60)
     FROM seed_child c WHERE e.src = 'SU' AND c.i = e.i`,
    [anchor],
  );

  // CA: children allocated to an early help hub by the front door: council-delivered work, led by the hub worker.
  await q(
    `INSERT INTO eh_ep (key, src, stage, i, kids, d, r, requested_at, ws, lead, creator)
     SELECT 'CA-' || c.i, 'CA', 'CA', c.i, ARRAY[c.i], $1::date - (sr.decided_at AT TIME ZONE 'Europe/London')::date,
            (sr.decided_at AT TIME ZONE 'Europe/London')::date, sr.decided_at + interval '30 minutes',
            (al.started_at AT TIME ZONE 'Europe/London')::date, al.worker_id, sr.decider_id
     FROM seed_child c
     JOIN seed_ref sr ON sr.i = c.i AND sr.s = c.nref AND sr.decision = 'EARLY_HELP'
     JOIN allocation al ON al.id = md5('allocation-open-' || c.i)::uuid
     WHERE c.alloc_kind = 'EH'`,
    [anchor],
  );

  // FA: families with no open, pending or allocated child (nor one placed above), and the room since their last activity.
  await q(
    `CREATE TEMP TABLE eh_fam ON COMMIT DROP AS
     SELECT c.fam AS f, array_agg(c.i ORDER BY c.fam_rank) AS kids, max(c.age_days) AS oldest,
            $1::date - max(l.last_on) - 1 AS room, pg_temp.ehw('fa-' || c.fam) AS w, md5('fa-order-' || c.fam) AS ord,
            NULL::text AS stage, NULL::int AS d, NULL::int AS prov
     FROM seed_child c JOIN eh_last l ON l.i = c.i
     GROUP BY c.fam
     HAVING NOT bool_or(c.open OR c.pending IS NOT NULL OR c.alloc_kind IS NOT NULL OR c.restricted)
        AND NOT bool_or(c.i IN (SELECT i FROM eh_ep WHERE src IN ('SD', 'CA')))`,
    [anchor],
  );
  await q(`ALTER TABLE eh_fam ADD PRIMARY KEY (f)`);
  const sdInWork: { prov: number; n: number }[] = await q(
    `SELECT 1 + (pg_temp.ehw(key || ':p') % 3 = 0)::int AS prov, count(*)::int AS n FROM eh_ep WHERE stage = 'SD_WORK' GROUP BY 1`,
  );
  for (const s of FAMILY_STAGES) {
    const dMin = s.dMin === 'retriage+1' ? retriage + 1 : s.dMin;
    const dMax = s.dMax === 'retriage-1' ? retriage - 1 : s.dMax;
    const taken = s.stage === 'IN_WORK' ? sdInWork.find((x) => x.prov === s.prov)?.n ?? 0 : 0;
    await q(
      `UPDATE eh_fam SET stage = $1, prov = $5, d = $2 + eh_fam.w % (least(eh_fam.room, eh_fam.oldest - 30, $3) - $2 + 1)
       FROM (SELECT f FROM eh_fam WHERE stage IS NULL AND room >= $2 AND oldest - 30 >= $2 ORDER BY ord LIMIT $4) pick
       WHERE eh_fam.f = pick.f`,
      [s.stage, dMin, dMax, Math.max(0, s.quota[size] - taken), s.prov ?? null],
    );
  }
  // The children of a family request: those born by the request date (the oldest at least 30 days before).
  await q(
    `INSERT INTO eh_ep (key, src, stage, i, fam, kids, d, r, prov)
     SELECT 'FA-' || f.f, 'FA', f.stage, k.kids[1], f.f, k.kids, f.d, $1::date - f.d, f.prov
     FROM eh_fam f
     CROSS JOIN LATERAL (SELECT array_agg(c.i ORDER BY c.age_days DESC, c.i) AS kids FROM unnest(f.kids) u(i)
                         JOIN seed_child c ON c.i = u.i WHERE NOT c.unborn AND c.age_days >= f.d) k
     WHERE f.stage IS NOT NULL`,
    [anchor],
  );

  // Hashes, provider, status and outcome.
  await q(
    `UPDATE eh_ep SET h = pg_temp.ehw(key || ':h') % 100, w = pg_temp.ehw(key || ':w'),
       prov = CASE WHEN src = 'CA' OR stage IN ('CLOSED_NFA', 'SD_WAIT') OR stage LIKE 'W\\_%' AND stage <> 'W_DECLINED' THEN NULL
                   WHEN prov IS NOT NULL THEN prov ELSE 1 + (pg_temp.ehw(key || ':p') % 3 = 0)::int END,
       status = CASE WHEN stage LIKE 'W\\_%' OR stage = 'SD_WAIT' THEN 'REQUESTED' WHEN stage = 'OFFERED' THEN 'OFFERED'
                     WHEN stage IN ('IN_WORK', 'SD_WORK', 'CA') THEN 'IN_WORK' ELSE 'CLOSED' END,
       outcome = CASE stage WHEN 'CLOSED_NM' THEN 'NEEDS_MET' WHEN 'SD_CLOSED' THEN 'NEEDS_MET' WHEN 'CLOSED_CW' THEN 'CONSENT_WITHDRAWN'
                            WHEN 'CLOSED_MA' THEN 'MOVED_AWAY' WHEN 'CLOSED_NFA' THEN 'NO_FURTHER_ACTION' WHEN 'SU' THEN 'STEPPED_UP' END`,
  );
  // The timeline: offer, decision, start of work, closure, escalation while waiting.
  await q(
    `UPDATE eh_ep SET
       offered = CASE WHEN stage = 'W_DECLINED' THEN r + 2 + h % 3
                      WHEN stage = 'OFFERED' THEN r + 1 + w % (d - 2)
                      WHEN prov IS NOT NULL THEN r + 2 + w % least(30, greatest(d / 3, 1)) END,
       esc = CASE WHEN stage IN ('W_CONTACT', 'W_REFERRAL', 'W_CONCERN') THEN r + 1 + w % (d - 2) END,
       requested_at = coalesce(requested_at, ${stamp('r')} - interval '1 hour' + (w % 420) * interval '1 minute')`,
  );
  await q(
    `UPDATE eh_ep SET decided = CASE WHEN stage = 'W_DECLINED' THEN offered + 1 + h % 3 WHEN stage <> 'OFFERED' THEN offered + 1 + h % 4 END
     WHERE offered IS NOT NULL`,
  );
  await q(`UPDATE eh_ep SET ws = decided WHERE prov IS NOT NULL AND stage NOT IN ('W_DECLINED', 'OFFERED')`);
  await q(
    `UPDATE eh_ep SET closed = CASE
       WHEN stage IN ('CLOSED_NM', 'CLOSED_CW', 'CLOSED_MA', 'SD_CLOSED') THEN least(ws + 60 + w % 200, coalesce(lim, $1::date - 1) - h % 20)
       WHEN stage = 'CLOSED_NFA' THEN r + 3 + h % 20
       ELSE closed END`,
    [anchor],
  );
  // Lead practitioners: Brightpath's first families in work go to the demo practitioner; then the provider's staff.
  await q(
    `WITH demo AS (SELECT key FROM eh_ep WHERE prov = 1 AND status = 'IN_WORK' ORDER BY key LIMIT $1)
     UPDATE eh_ep e SET lead = CASE
         WHEN e.key IN (SELECT key FROM demo) OR cardinality(p.practitioners) = 1 THEN p.practitioners[1]
         WHEN e.prov = 1 THEN p.practitioners[2 + e.w % (cardinality(p.practitioners) - 1)]
         ELSE p.practitioners[1 + e.w % cardinality(p.practitioners)] END
     FROM eh_prov p WHERE p.no = e.prov AND e.ws IS NOT NULL`,
    [DEMO_PRACTITIONER_FAMILIES],
  );
  // Who recorded the request and who asked: a hub practitioner (the social worker for a step-down), a professional or a parent.
  await q(
    `UPDATE eh_ep e SET creator = CASE WHEN e.src = 'SD' THEN (SELECT x.created_by_id FROM episode x WHERE x.id = e.sd_episode)
                                       ELSE coalesce(e.creator, s.council[1 + e.w % cardinality(s.council)]) END
     FROM eh_staff s`,
  );
  await q(
    `UPDATE eh_ep e SET
       req_name = CASE WHEN e.src IN ('SD', 'CA') THEN a.display_name WHEN e.h % 10 = 0 THEN coalesce(ad.first_name || ' ' || ad.last_name, 'Parent')
                       ELSE ($1::text[])[1 + e.w % cardinality($1::text[])] END,
       req_role = CASE WHEN e.src = 'SD' THEN 'Social worker' WHEN e.src = 'CA' THEN 'Front door screener' WHEN e.h % 10 = 0 THEN 'Parent'
                       ELSE ($2::text[])[1 + e.w % cardinality($2::text[])] END,
       req_agency = CASE WHEN e.src = 'SD' THEN 'Children''s social care' WHEN e.src = 'CA' THEN 'Children''s social care front door'
                         WHEN e.h % 10 = 0 THEN NULL ELSE ($3::text[])[1 + e.w % cardinality($3::text[])] END,
       needs = ARRAY(SELECT ($4::text[])[1 + (e.w + k * (ARRAY[1, 3, 7, 9])[1 + e.h % 4]) % 10] FROM generate_series(0, 2 + e.h % 3) k ORDER BY k)
     FROM seed_child c
     JOIN account a ON true
     LEFT JOIN LATERAL (SELECT m.first_name, m.last_name FROM family_member m
                        WHERE m.family_id = md5('family-' || c.fam)::uuid AND m.kind = 'ADULT' ORDER BY m.id LIMIT 1) ad ON true
     WHERE c.i = e.i AND a.id = e.creator`,
    [REQUESTERS.map((r) => r[0]), REQUESTERS.map((r) => r[1]), REQUESTERS.map((r) => r[2]), NEEDS],
  );
  // Assessment (reason always recorded), then the family plan once the assessment is complete.
  await q(
    `UPDATE eh_ep SET a_start = ws + 2 + h % 6 WHERE ws IS NOT NULL AND ws + 2 + h % 6 <= least($1::date - 1, closed - 10)`,
    [anchor],
  );
  await q(
    `UPDATE eh_ep SET a_done = CASE WHEN closed IS NOT NULL THEN least(a_start + 7 + (w / 7) % 20, closed - 5)
                                    WHEN h % 7 <> 0 AND a_start + 7 + (w / 7) % 20 <= $1::date - 1 THEN a_start + 7 + (w / 7) % 20 END
     WHERE a_start IS NOT NULL`,
    [anchor],
  );
  await q(
    `UPDATE eh_ep SET p_start = a_done + 3 + h % 3
     WHERE a_done IS NOT NULL AND a_done + 3 + h % 3 <= $1::date - 1 AND (closed IS NULL OR a_done + 3 + h % 3 <= closed - 14)`,
    [anchor],
  );

  // Escalations while waiting: a contact, a referral the front door passed back, a safeguarding concern (needs added).
  await q(
    `UPDATE eh_ep SET needs = needs || ARRAY(SELECT x FROM unnest($1::text[]) x WHERE NOT x = ANY(needs) LIMIT 1) WHERE stage = 'W_CONCERN'`,
    [[SupportingFamiliesNeed.SAFE_FROM_ABUSE_AND_EXPLOITATION, SupportingFamiliesNeed.DOMESTIC_ABUSE, ...NEEDS]],
  );

  // The episodes.
  await q(
    `INSERT INTO early_help_episode (id, family_id, primary_child_id, status, requested_at, requested_on, requester_name, requester_role,
                                     requester_agency, reason, needs, provider_id, lead_practitioner_id, work_started_on, closed_on, outcome,
                                     closure_summary, closure_progress, stepped_down_from_episode_id, stepped_down_assessment_id,
                                     created_at, updated_at, created_by_id, updated_by_id)
     SELECT pg_temp.uid('eh-episode-' || e.key), CASE WHEN e.fam IS NOT NULL THEN md5('family-' || e.fam)::uuid END, md5('child-' || e.i)::uuid,
            e.status, e.requested_at, e.r, e.req_name, e.req_role, e.req_agency,
            CASE WHEN e.src = 'SD' THEN 'Stepped down after a child and family assessment: ' || ($1::text[])[1 + e.w % cardinality($1::text[])]
                 ELSE ($1::text[])[1 + e.w % cardinality($1::text[])] END,
            e.needs, CASE WHEN e.status IN ('OFFERED', 'IN_WORK') OR e.status = 'CLOSED' AND e.ws IS NOT NULL THEN p.id END,
            e.lead, e.ws, e.closed, e.outcome,
            CASE WHEN e.outcome IS NOT NULL THEN ($2::jsonb -> e.outcome ->> (e.h % jsonb_array_length($2::jsonb -> e.outcome))) END,
            CASE WHEN e.outcome IS NOT NULL THEN (
              SELECT jsonb_agg(jsonb_build_object('need', n, 'rating', x.rating,
                                                  'comment', ($3::text[])[CASE x.rating WHEN 'IMPROVED' THEN 1 WHEN 'SUSTAINED' THEN 2 ELSE 3 END])
                               ORDER BY o)
              FROM unnest(e.needs) WITH ORDINALITY AS u(n, o)
              CROSS JOIN LATERAL (SELECT CASE
                  WHEN e.outcome = 'NEEDS_MET' THEN (ARRAY['IMPROVED', 'IMPROVED', 'SUSTAINED'])[1 + (e.h + o::int) % 3]
                  WHEN e.outcome = 'STEPPED_UP' THEN (ARRAY['WORSENED', 'NO_CHANGE'])[1 + (e.h + o::int) % 2]
                  WHEN e.outcome = 'NO_FURTHER_ACTION' THEN 'NO_CHANGE'
                  ELSE (ARRAY['IMPROVED', 'NO_CHANGE', 'NO_CHANGE'])[1 + (e.h + o::int) % 3] END AS rating) x) END,
            e.sd_episode, e.sd_assessment,
            e.requested_at, coalesce(${stamp('e.closed', 16)}, ${stamp('e.ws', 12)}, ${stamp('e.decided', 12)}, e.requested_at),
            e.creator, coalesce(e.lead, e.creator)
     FROM eh_ep e LEFT JOIN eh_prov p ON p.no = e.prov`,
    [REQUEST_REASONS, JSON.stringify(CLOSURE_SUMMARIES), PROGRESS_COMMENTS],
  );
  await q(
    `INSERT INTO early_help_child (episode_id, child_id)
     SELECT pg_temp.uid('eh-episode-' || e.key), md5('child-' || k)::uuid FROM eh_ep e CROSS JOIN LATERAL unnest(e.kids) k`,
  );

  // Consent to support and to sharing (not yet for some waiting families; withdrawn at closure when that was the outcome).
  await q(
    `INSERT INTO early_help_consent (id, episode_id, kind, given_by, relationship, given_on, scope, withdrawn_on, withdrawn_by, withdrawal_reason,
                                     created_at, updated_at, created_by_id, updated_by_id)
     SELECT pg_temp.uid('eh-consent-' || e.key || '-' || k.kind), pg_temp.uid('eh-episode-' || e.key), k.kind,
            coalesce(ad.first_name || ' ' || ad.last_name, 'Parent'), lower(coalesce(ad.relationship, 'PARENT')), e.r,
            CASE k.kind WHEN 'SUPPORT' THEN 'Early help support for the family from the council and its commissioned provider'
                        ELSE 'Sharing the early help record with the commissioned provider, the school and health' END,
            CASE WHEN e.outcome = 'CONSENT_WITHDRAWN' THEN e.closed END,
            CASE WHEN e.outcome = 'CONSENT_WITHDRAWN' THEN coalesce(ad.first_name || ' ' || ad.last_name, 'Parent') END,
            CASE WHEN e.outcome = 'CONSENT_WITHDRAWN' THEN 'The family feel things are better and no longer want support' END,
            e.requested_at, coalesce(${stamp('e.closed', 15)}, e.requested_at), e.creator, e.creator
     FROM eh_ep e
     JOIN seed_child c ON c.i = e.i
     CROSS JOIN (VALUES ('SUPPORT'), ('SHARING')) AS k(kind)
     LEFT JOIN LATERAL (SELECT m.first_name, m.last_name, m.relationship FROM family_member m
                        WHERE m.family_id = md5('family-' || c.fam)::uuid AND m.kind = 'ADULT' ORDER BY m.id LIMIT 1) ad ON true
     WHERE NOT (e.stage = 'W_NOCONSENT' AND (k.kind = 'SHARING' OR e.h % 2 = 0))`,
  );

  // Provider referrals: declined (back to the council), offered, accepted (in work) or closed with the episode.
  await q(
    `INSERT INTO early_help_referral (id, episode_id, provider_id, contract_id, status, offered_at, commissioning_note, decided_at, decided_by_id,
                                      decline_reason, closed_on, created_at, updated_at, created_by_id, updated_by_id)
     SELECT pg_temp.uid('eh-referral-' || e.key), pg_temp.uid('eh-episode-' || e.key), p.id,
            CASE WHEN e.offered >= p.cur_start THEN p.contract_cur ELSE p.contract_prev END,
            CASE WHEN e.stage = 'W_DECLINED' THEN 'DECLINED' WHEN e.stage = 'OFFERED' THEN 'OFFERED'
                 WHEN e.status = 'IN_WORK' THEN 'ACCEPTED' ELSE 'CLOSED' END,
            ${stamp('e.offered', 11)}, ($1::text[])[1 + e.h % cardinality($1::text[])],
            ${stamp('e.decided', 14)}, CASE WHEN e.decided IS NOT NULL THEN p.manager END,
            CASE WHEN e.stage = 'W_DECLINED' THEN ($2::text[])[1 + e.h % cardinality($2::text[])] END,
            CASE WHEN e.status = 'CLOSED' THEN e.closed END,
            ${stamp('e.offered', 11)}, coalesce(${stamp('e.closed', 16)}, ${stamp('e.decided', 14)}, ${stamp('e.offered', 11)}),
            e.creator, CASE WHEN e.status = 'CLOSED' THEN coalesce(e.lead, e.creator) WHEN e.decided IS NOT NULL THEN p.manager ELSE e.creator END
     FROM eh_ep e JOIN eh_prov p ON p.no = e.prov
     WHERE e.offered IS NOT NULL`,
    [COMMISSIONING_NOTES, DECLINE_REASONS],
  );

  // Escalations after the request.
  await q(
    `INSERT INTO contact (id, child_id, received_at, source_code, summary, outcome, created_at, updated_at, created_by_id, updated_by_id)
     SELECT pg_temp.uid('eh-contact-' || e.key), md5('child-' || e.i)::uuid, ${stamp('e.esc')},
            CASE WHEN e.stage = 'W_REFERRAL' THEN '6' WHEN e.h % 2 = 0 THEN '2A' ELSE '3B' END,
            CASE WHEN e.stage = 'W_REFERRAL' THEN $1 ELSE ($2::text[])[1 + e.h % 2] END,
            CASE WHEN e.stage = 'W_REFERRAL' THEN 'REFERRAL' ELSE 'EARLY_HELP' END,
            ${stamp('e.esc')}, ${stamp('e.esc')}, s.front_door[1 + e.w % cardinality(s.front_door)], s.front_door[1 + e.w % cardinality(s.front_door)]
     FROM eh_ep e CROSS JOIN eh_staff s WHERE e.stage IN ('W_CONTACT', 'W_REFERRAL')`,
    [ESCALATION_REFERRAL, ESCALATION_CONTACTS],
  );
  await q(
    `INSERT INTO referral (id, child_id, contact_id, received_at, referral_date, source_code, primary_need_code, reason, decision_due_on,
                           decision, decision_reason, decided_at, decided_by_id, created_at, updated_at, created_by_id, updated_by_id)
     SELECT pg_temp.uid('eh-referral-in-' || e.key), md5('child-' || e.i)::uuid, pg_temp.uid('eh-contact-' || e.key), ${stamp('e.esc')}, e.esc,
            '6', 'N1', $1, nw.nxt, 'EARLY_HELP', 'Family already waiting for early help: passed to the hub for re-triage.',
            ${stamp('e.esc', 13)}, fd.id, ${stamp('e.esc')}, ${stamp('e.esc', 13)}, fd.id, fd.id
     FROM eh_ep e CROSS JOIN eh_staff s
     JOIN seed_next_wd nw ON nw.d = e.esc
     CROSS JOIN LATERAL (SELECT s.front_door[1 + e.w % cardinality(s.front_door)] AS id) fd
     WHERE e.stage = 'W_REFERRAL'`,
    [ESCALATION_REFERRAL],
  );
  await q(
    `INSERT INTO early_help_concern (id, episode_id, raised_at, safeguarding, description, needs_added, created_at, updated_at,
                                     created_by_id, updated_by_id)
     SELECT pg_temp.uid('eh-concern-' || e.key), pg_temp.uid('eh-episode-' || e.key), ${stamp('c.on_')}, e.stage = 'W_CONCERN',
            CASE WHEN e.stage = 'W_CONCERN' THEN ($1::text[])[1 + e.h % cardinality($1::text[])]
                 ELSE ($2::text[])[1 + e.h % cardinality($2::text[])] END,
            CASE WHEN e.stage = 'W_CONCERN' THEN e.needs[cardinality(e.needs):cardinality(e.needs)] ELSE '{}' END,
            ${stamp('c.on_')}, ${stamp('c.on_')}, coalesce(e.lead, e.creator), coalesce(e.lead, e.creator)
     FROM eh_ep e
     CROSS JOIN LATERAL (SELECT CASE WHEN e.stage = 'W_CONCERN' THEN e.esc ELSE e.ws + 10 + e.w % greatest($3::date - e.ws - 11, 1) END AS on_) c
     WHERE e.stage = 'W_CONCERN' OR (e.status = 'IN_WORK' AND e.h % 9 = 0 AND e.ws + 11 < $3::date)`,
    [SAFEGUARDING_CONCERNS, WORK_CONCERNS, anchor],
  );

  // Step-ups: the later referral becomes an early help referral (source 5D) carrying the episode.
  await q(
    `UPDATE referral r SET source_code = '5D', early_help_episode_id = pg_temp.uid('eh-episode-' || e.key),
       reason = 'Stepped up from early help (' || p.name || '): ' || r.reason
     FROM eh_ep e JOIN eh_prov p ON p.no = e.prov WHERE e.src = 'SU' AND r.id = e.su_referral`,
  );
  await q(`UPDATE contact c SET source_code = '5D' FROM referral r WHERE r.early_help_episode_id IS NOT NULL AND c.id = r.contact_id`);
  await q(`UPDATE episode x SET referral_source = '5D' FROM referral r WHERE r.early_help_episode_id IS NOT NULL AND x.referral_id = r.id`);

  // Assessments (provider or hub), team-around-the-family meetings every six weeks.
  await q(
    `INSERT INTO early_help_assessment (id, episode_id, reason, needs, strengths, lived_experience, child_voice, analysis, started_on, completed_on,
                                        completed_by_provider_id, created_at, updated_at, created_by_id, updated_by_id)
     SELECT pg_temp.uid('eh-assessment-' || e.key), pg_temp.uid('eh-episode-' || e.key),
            CASE WHEN e.src = 'SD' THEN $1 ELSE ($2::text[])[1 + e.w % cardinality($2::text[])] END,
            (SELECT jsonb_agg(jsonb_build_object('need', n, 'description', $3::jsonb ->> n) ORDER BY o) FROM unnest(e.needs) WITH ORDINALITY u(n, o)),
            ($4::text[])[1 + e.h % cardinality($4::text[])], ($5::text[])[1 + (e.h + 1) % cardinality($5::text[])],
            ($6::text[])[1 + (e.h + 2) % cardinality($6::text[])], ($7::text[])[1 + e.w % cardinality($7::text[])],
            e.a_start, e.a_done, p.id, ${stamp('e.a_start')}, ${stamp('coalesce(e.a_done, e.a_start)')}, e.lead, e.lead
     FROM eh_ep e LEFT JOIN eh_prov p ON p.no = e.prov WHERE e.a_start IS NOT NULL`,
    [STEP_DOWN_REASON, ASSESSMENT_REASONS, JSON.stringify(NEED_DESCRIPTIONS), STRENGTHS, LIVED_EXPERIENCE, CHILD_VOICES, ANALYSES],
  );
  await q(
    `INSERT INTO team_around_family_meeting (id, episode_id, held_on, attendees, family_present, decisions, next_meeting_on,
                                             created_at, updated_at, created_by_id, updated_by_id)
     SELECT pg_temp.uid('eh-taf-' || e.key || '-' || k), pg_temp.uid('eh-episode-' || e.key), m.held_on,
            jsonb_build_array(
              jsonb_build_object('name', la.display_name, 'agency', coalesce(p.name, 'Early help hub'), 'role', 'Lead practitioner'),
              jsonb_build_object('name', 'Ms A. Example', 'agency', 'School', 'role', 'Designated safeguarding lead'),
              jsonb_build_object('name', 'C. Specimen', 'agency', 'Health', 'role', CASE WHEN e.h % 2 = 0 THEN 'Health visitor' ELSE 'School nurse' END),
              jsonb_build_object('name', 'Parent', 'agency', 'Family', 'role', 'Parent')),
            (k + e.h) % 6 <> 0, ($1::text[])[1 + (e.h + k) % cardinality($1::text[])],
            CASE WHEN e.closed IS NULL OR m.held_on + 42 < e.closed THEN m.held_on + 42 END,
            ${stamp('m.held_on', 14)}, ${stamp('m.held_on', 14)}, e.lead, e.lead
     FROM eh_ep e
     JOIN account la ON la.id = e.lead
     LEFT JOIN eh_prov p ON p.no = e.prov
     CROSS JOIN LATERAL generate_series(1, 20) k
     CROSS JOIN LATERAL (SELECT e.ws + 14 + 42 * (k - 1) + (k * e.h) % 5 AS held_on) m
     WHERE e.ws IS NOT NULL AND m.held_on <= least($2::date - 1, e.closed - 1)`,
    [TAF_DECISIONS, anchor],
  );

  // Family plans (the plan model: outcomes, actions, contingency, reviews every 2 months, visits), like the casework seed.
  await q(
    `CREATE TEMP TABLE eh_plan ON COMMIT DROP AS
     SELECT e.key, pg_temp.uid('eh-plan-' || e.key) AS id, md5('child-' || e.i)::uuid AS child_id, pg_temp.uid('eh-episode-' || e.key) AS episode_id,
            e.p_start AS start_date, e.closed AS end_date, e.outcome, e.lead, e.h, e.w,
            (e.closed IS NULL AND e.h % 10 = 3) AS review_overdue, (e.closed IS NULL AND e.h % 10 = 7) AS visit_overdue
     FROM eh_ep e WHERE e.p_start IS NOT NULL`,
  );
  await q(`ALTER TABLE eh_plan ADD PRIMARY KEY (id)`);
  await q(
    `CREATE TEMP TABLE eh_rev ON COMMIT DROP AS
     WITH RECURSIVE rv AS (
       SELECT p.id AS plan_id, 1 AS k, d.due, d.due - p.h % 6 AS held_on,
              CASE WHEN p.end_date IS NOT NULL THEN d.due <= p.end_date - 1
                   WHEN p.review_overdue THEN d.due <= $1::date - 40 ELSE d.due <= $1::date END AS ok
       FROM eh_plan p CROSS JOIN LATERAL (SELECT (p.start_date + interval '2 months')::date AS due) d
       UNION ALL
       SELECT p.id, rv.k + 1, d.due, d.due - (p.h + rv.k) % 6,
              CASE WHEN p.end_date IS NOT NULL THEN d.due <= p.end_date - 1
                   WHEN p.review_overdue THEN d.due <= $1::date - 40 ELSE d.due <= $1::date END
       FROM rv JOIN eh_plan p ON p.id = rv.plan_id
       CROSS JOIN LATERAL (SELECT (rv.held_on + interval '2 months')::date AS due) d
       WHERE rv.ok
     )
     SELECT plan_id, k, due, held_on, ok AS held FROM rv`,
    [anchor],
  );
  await q(
    `INSERT INTO plan (id, child_id, episode_id, early_help_episode_id, type, status, start_date, end_date, end_reason, contingency, family_summary,
                       next_review_due, created_at, updated_at, created_by_id, updated_by_id)
     SELECT p.id, p.child_id, NULL, p.episode_id, 'EARLY_HELP', CASE WHEN p.end_date IS NULL THEN 'ACTIVE' ELSE 'ENDED' END, p.start_date,
            p.end_date, CASE p.outcome WHEN 'STEPPED_UP' THEN 'Stepped up to children''s social care'
                                       WHEN 'NEEDS_MET' THEN 'Outcomes achieved; early help closing'
                                       WHEN 'CONSENT_WITHDRAWN' THEN 'The family withdrew consent'
                                       WHEN 'MOVED_AWAY' THEN 'The family moved away' END,
            ($1::text[])[1 + p.h % cardinality($1::text[])], ($2::text[])[1 + p.w % cardinality($2::text[])],
            CASE WHEN p.end_date IS NULL THEN (SELECT r.due FROM eh_rev r WHERE r.plan_id = p.id AND NOT r.held) END,
            ${stamp('p.start_date')}, ${stamp('coalesce(p.end_date, p.start_date)')}, p.lead, p.lead
     FROM eh_plan p`,
    [CONTINGENCIES, FAMILY_SUMMARIES],
  );
  await q(
    `INSERT INTO plan_outcome (id, plan_id, position, need_to_change, measure, by_when, created_at, updated_at, created_by_id, updated_by_id)
     SELECT pg_temp.uid('eh-plan-outcome-' || p.key || '-' || k), p.id, k,
            ($1::text[])[1 + (p.w + k) % cardinality($1::text[])], ($2::text[])[1 + (p.w + k) % cardinality($2::text[])],
            (p.start_date + (2 + k) * interval '1 month')::date, ${stamp('p.start_date')}, ${stamp('p.start_date')}, p.lead, p.lead
     FROM eh_plan p CROSS JOIN LATERAL generate_series(1, 1 + p.h % 3) k`,
    [PLAN_OUTCOMES, PLAN_MEASURES],
  );
  await q(
    `INSERT INTO plan_action (id, plan_id, outcome_id, who, what, by_when, status, created_at, updated_at, created_by_id, updated_by_id)
     SELECT pg_temp.uid('eh-plan-action-' || p.key || '-' || k), p.id, pg_temp.uid('eh-plan-outcome-' || p.key || '-' || (1 + (k - 1) % (1 + p.h % 3))),
            ($1::text[])[1 + (p.w + k) % cardinality($1::text[])], ($2::text[])[1 + (p.w + k) % cardinality($2::text[])], b.by_when,
            CASE WHEN p.end_date IS NOT NULL THEN CASE WHEN (p.h + k) % 5 = 0 THEN 'NOT_DONE' ELSE 'DONE' END
                 WHEN b.by_when < $3::date THEN CASE WHEN (p.h + k) % 4 = 0 THEN 'IN_PROGRESS' ELSE 'DONE' END
                 WHEN (p.h + k) % 3 = 0 THEN 'NOT_STARTED' ELSE 'IN_PROGRESS' END,
            ${stamp('p.start_date')}, ${stamp('coalesce(p.end_date, p.start_date)')}, p.lead, p.lead
     FROM eh_plan p CROSS JOIN LATERAL generate_series(1, 1 + (p.h / 3) % 3) k
     CROSS JOIN LATERAL (SELECT (p.start_date + (3 + 2 * k) * interval '1 week')::date AS by_when) b`,
    [PLAN_ACTIONS.map((a) => a[0]), PLAN_ACTIONS.map((a) => a[1]), anchor],
  );
  await q(
    `INSERT INTO plan_revision (id, plan_id, version, content, changed_by_id, created_at)
     SELECT pg_temp.uid('eh-plan-revision-' || p.key || '-1'), p.id, 1,
            jsonb_build_object('type', 'EARLY_HELP', 'startDate', p.start_date, 'contingency', pl.contingency, 'familySummary', pl.family_summary,
              'outcomes', (SELECT jsonb_agg(jsonb_build_object('id', o.id, 'position', o.position, 'needToChange', o.need_to_change,
                                                               'measure', o.measure, 'byWhen', o.by_when) ORDER BY o.position)
                           FROM plan_outcome o WHERE o.plan_id = p.id),
              'actions', (SELECT jsonb_agg(jsonb_build_object('id', a.id, 'outcomeId', a.outcome_id, 'who', a.who, 'what', a.what,
                                                              'byWhen', a.by_when) ORDER BY a.by_when, a.id)
                          FROM plan_action a WHERE a.plan_id = p.id)),
            p.lead, ${stamp('p.start_date')}
     FROM eh_plan p JOIN plan pl ON pl.id = p.id`,
  );
  // Reviews held, then (for a closed episode) the review that ended the plan.
  await q(
    `INSERT INTO plan_review (id, plan_id, held_on, progress, decision, summary, due_by, reviewer_id, created_at, updated_at, created_by_id, updated_by_id)
     SELECT pg_temp.uid('eh-plan-review-' || p.key || '-' || r.k), p.id, r.held_on,
            (SELECT jsonb_agg(jsonb_build_object('outcomeId', pg_temp.uid('eh-plan-outcome-' || p.key || '-' || o),
                                                 'rating', (ARRAY['GOOD', 'SOME', 'SOME', 'NONE'])[1 + (p.h + r.k + o) % 4],
                                                 'comment', ($1::text[])[1 + (p.h + r.k + o) % cardinality($1::text[])]) ORDER BY o)
             FROM generate_series(1, 1 + p.h % 3) o),
            CASE WHEN NOT r.final THEN 'CONTINUE' WHEN p.outcome = 'STEPPED_UP' THEN 'STEP_UP' ELSE 'END' END,
            ($1::text[])[1 + (p.h + r.k) % cardinality($1::text[])], r.due, p.lead,
            ${stamp('r.held_on', 15)}, ${stamp('r.held_on', 15)}, p.lead, p.lead
     FROM eh_plan p
     JOIN (SELECT plan_id, k, due, held_on, false AS final FROM eh_rev WHERE held
           UNION ALL
           SELECT r.plan_id, r.k, r.due, pp.end_date, true FROM eh_rev r JOIN eh_plan pp ON pp.id = r.plan_id
           WHERE NOT r.held AND pp.end_date IS NOT NULL) r ON r.plan_id = p.id`,
    [REVIEW_SUMMARIES],
  );
  // Home visits by the lead practitioner every 15 working days (a few families overdue one).
  await q(
    `INSERT INTO visit (id, child_id, plan_id, visited_on, type, seen, seen_alone, present, note, created_at, updated_at, created_by_id, updated_by_id)
     SELECT pg_temp.uid('eh-visit-' || p.key || '-' || n), p.child_id, p.id, w.d, CASE WHEN (n + p.h) % 5 = 0 THEN 'SCHOOL' ELSE 'HOME' END,
            v.seen, false, CASE WHEN v.seen THEN '{Mother}'::text[] ELSE '{}'::text[] END,
            CASE WHEN v.seen THEN ($2::text[])[1 + (n + p.h) % cardinality($2::text[])] ELSE $3 END,
            ${stamp('w.d')}, ${stamp('w.d')}, p.lead, p.lead
     FROM eh_plan p
     JOIN cw_day ks ON ks.d = p.start_date
     JOIN cw_day ke ON ke.d = coalesce(p.end_date, $1::date)
     CROSS JOIN LATERAL (SELECT CASE WHEN p.visit_overdue THEN ke.k - 24 - p.h % 10 ELSE ke.k END AS k_last) f
     CROSS JOIN LATERAL generate_series(1, greatest((f.k_last - ks.k) / 15, 0)) n
     JOIN cw_wd w ON w.k = ks.k + n * 15
     CROSS JOIN LATERAL (SELECT (n + p.h) % 7 <> 0 OR ks.k + (n + 1) * 15 > f.k_last AS seen) v`,
    [anchor, VISIT_NOTES, VISIT_NOT_SEEN],
  );
}
