import type { EntityManager } from 'typeorm';
import { WorkingCalendar } from '../shared/clock/calendar';
import { ruleContext } from '../modules/cin-census/rules';
import { seedCensusPeriod } from './census-faults';

/**
 * Statutory casework for the demo council, built from the referrals `seedDemoCouncil` made (same transaction, same
 * temp tables `seed_child` and `seed_ref`): episodes of need, assessments, strategy discussions, section 47 enquiries,
 * conferences, CIN and CP plans (outcomes, actions, reviews, revisions), visits, supervision and management decisions.
 *
 * Same rules as the rest of the seed: set-based SQL, md5-derived ids, every choice arithmetic on the row number
 * (a multiplicative hash, so choices are not correlated with the `i % n` choices of the referral seed), dates
 * relative to the anchor date. Each episode gets a "course" (route) and every date on it is computed in `cw_ep`;
 * the tables are then inserted from it. Statutory due dates use `haven_add_working_days` (the migration's SQL clock);
 * visit and supervision cadences use a working-day index built from the same bank-holiday table.
 */

/** What the casework seed needs from the size spec (the rest comes from the temp tables). */
export interface CaseworkSpec {
  children: number;
}

const LATE_REASONS = [
  'Parent cancelled two home visits; the child was not seen until week ten.',
  'Awaiting information from the child’s GP and the school nurse.',
  'Worker absence; the assessment was reallocated part-way through.',
  'Interpreter needed for the family; availability delayed the visits.',
  'New information from police extended the assessment.',
];
const RISKS = [
  'Exposure to domestic abuse between the adults; police call-outs in the last year.',
  'Parental alcohol misuse affecting supervision of the children in the evenings.',
  'Home conditions poor; missed health appointments.',
  'Young person going missing and associating with older peers.',
  'Unexplained injuries and inconsistent accounts from the carers.',
  'Parental mental health deteriorating; limited support network.',
];
const STRENGTHS = [
  'Strong bond with the maternal grandmother, who visits daily.',
  'Good school attendance and a trusted teacher.',
  'Parent is open with professionals and accepts help.',
  'Siblings are close and look out for each other.',
  'Family engaged well with the health visitor.',
];
const PROTECTIVE = [
  'Grandparent able to offer respite care.',
  'School provides breakfast club and a key adult.',
  'Non-abusing parent has separated and obtained a non-molestation order.',
  'Family support worker visiting weekly.',
];
const CHILD_VIEWS = [
  'Says they feel happiest at school and with their nan.',
  'Told the worker they worry about mum when dad is angry.',
  'Wants more time with their dad and to stay at the same school.',
  'Drew their family and put the dog closest to them.',
  'Too young to share views; observed to be settled with mum.',
];
const ANALYSES = [
  'Cumulative neglect is affecting health and development; parents can change with structured support.',
  'Risk of significant harm from domestic abuse; protective parent needs support to keep the plan.',
  'Needs are met at home with universal services; no ongoing statutory role.',
  'Young person at risk of exploitation; a multi-agency plan is needed.',
  'Parent’s mental health is the main driver of concern; adult services engaged.',
];
/** Assessment factors (CIN census codes); `21` stands alone and is used for no-further-action assessments. */
const FACTOR_SETS = [
  '{3B,4B}', '{16A}', '{2B,16A}', '{17A,3B}', '{18C}', '{1B,4B,16A}', '{10A,11A}', '{24A,10A}', '{4B}', '{6B,7A}', '{14A}',
  '{15A,4A}', '{19C}', '{5B,16A}', '{20}', '{3A,17A}', '{1B,2B}', '{13A,24A}',
];
const SD_RATIONALES = [
  'Reasonable cause to suspect the child is suffering, or likely to suffer, significant harm; joint enquiries agreed.',
  'Disclosure of physical harm; police and social care to visit jointly; medical arranged.',
  'Escalating domestic abuse with the child present; section 47 enquiries to start today.',
  'Injury to a non-mobile baby; child protection medical and section 47 enquiries.',
];
const NOT_REQUIRED = [
  'Enquiries found the concerns unsubstantiated; support through a child in need plan.',
  'Protective parent has acted to safeguard; risk now managed under child in need.',
  'Explanation consistent with the medical findings; no conference needed.',
];
const CONFERENCE_RATIONALES = [
  'Likelihood of significant harm; a multi-agency child protection plan is needed.',
  'Risks reduced and the family engaging; plan continues to secure the change.',
  'Sustained progress over two reviews; the child is no longer at risk of significant harm.',
  'Concerns not at the threshold for a plan; support under child in need.',
];
const CONTINGENCIES = [
  'If the home conditions fall below the agreed standard again, a legal planning meeting will be held.',
  'If there is a further incident of domestic abuse, a strategy discussion will be convened the same day.',
  'If the child is not seen for two visits in a row, the manager will review and consider a legal gateway meeting.',
  'If the parent does not engage with treatment, the plan will be reviewed early and step-up considered.',
  'If the young person goes missing again, a strategy discussion and return interview will follow within 72 hours.',
];
const FAMILY_SUMMARIES = [
  'We are worried about how much the children are left alone. Mum will make sure an adult is always at home, and we will help.',
  'Everyone wants the children to feel safe at home. Dad will not visit while the court order is in place.',
  'We will help Mum get support for her health so she can look after the children as she wants to.',
  'School, health and social care will work with you so your baby is fed, warm and seen by the doctor.',
  'We want Jo to be safe when out with friends. We will meet every fortnight to check in together.',
];
const NEEDS = [
  'The children are not left without an adult in the home',
  'The home is safe, clean and has working heating',
  'The children attend school every day',
  'The child is protected from domestic abuse',
  'Parent engages with drug and alcohol treatment',
  'The baby attends all health appointments',
  'The young person is safe when out of the home',
];
const MEASURES = [
  'Unannounced visits find an adult present on every occasion',
  'Home conditions checklist scored good at three visits in a row',
  'Attendance above 95% for a full half term',
  'No police call-outs for domestic incidents for three months',
  'Negative tests and attendance at every key-worker session',
  'Health visitor confirms all checks completed',
  'No missing episodes for eight weeks',
];
const ACTIONS = [
  ['Social worker', 'Visit every two weeks, including unannounced visits'],
  ['Mum', 'Attend the Freedom Programme weekly'],
  ['School', 'Provide a key adult and report attendance weekly'],
  ['Health visitor', 'Complete the development check and weigh the baby monthly'],
  ['Family support worker', 'Support with routines at bedtime twice a week'],
  ['Dad', 'Attend the drug and alcohol service and share test results'],
  ['Youth worker', 'Meet the young person weekly and share any missing episodes'],
] as const;
const REVIEW_SUMMARIES = [
  'Good progress on routines; attendance improved. Plan continues.',
  'Some progress; the home conditions slipped after the holidays. Actions refreshed.',
  'Family engaging well; outcomes largely met.',
  'Limited progress; contingency discussed with the family.',
];
const VISIT_NOTES = [
  'Child seen in their bedroom; room tidy with a made bed. Talked about school and friends.',
  'Home conditions adequate; food in the cupboards. Mum tired but engaged.',
  'Seen at school with the designated safeguarding lead; child chatty and settled.',
  'No answer at the door; card left and the family called the same afternoon.',
  'Child played with the worker and showed their drawings; relaxed with mum.',
  'Discussed the plan with the parents; agreed next steps on the heating repair.',
  'Young person reluctant to talk; agreed to meet at the youth centre next time.',
];
const SUPERVISION_NOTES = [
  'Wellbeing check-in; caseload manageable. Discussed training on exploitation.',
  'Reflected on a difficult visit; agreed to co-work one family.',
  'Caseload high this month; two cases to be reallocated.',
  'Learning: reviewed recording standards and the chronology.',
];
const REFLECTIONS = [
  'Worker reflected that progress is slower than hoped; the family respond to practical help.',
  'Hypothesis: dad’s return home explains the change in presentation at school.',
  'Worried about drift; the plan needs clearer timescales.',
  'Good relationship with the young person; risks outside the home remain high.',
];
const SUPERVISION_DECISIONS = [
  'Continue the plan; escalate if the next two visits are missed.',
  'Convene a core group meeting within ten working days.',
  'Seek legal advice at the next gateway panel.',
  'Step down to early help at the next review if progress holds.',
];
const MANAGEMENT_DECISIONS = [
  ['Case to remain open; allocate to a social worker in the team', 'Assessment shows needs that meet the threshold for statutory support.'],
  ['Visit frequency increased to weekly', 'New information about the adults in the home.'],
  ['Extend the assessment by ten working days', 'Awaiting medical information; recorded as a late reason.'],
  ['Legal planning meeting to be booked', 'No sustained change despite two review conferences.'],
  ['Case to be transferred to the child protection team', 'Child made subject to a child protection plan.'],
] as const;

export async function seedCasework(tx: EntityManager, spec: CaseworkSpec, anchor: string): Promise<void> {
  const q = (sql: string, params: unknown[] = []) =>
    tx.query(sql, params).catch((err: Error) => {
      throw new Error(`${err.message} in: ${sql.slice(0, 120)}`);
    });
  const one = async (sql: string, params: unknown[]) => ((await q(sql, params)) as { d: string }[])[0].d;
  if (spec.children <= 0) return;

  // A multiplicative hash 0..99 (Knuth's constant and friends), so two choices on the same row are independent.
  await q(`CREATE OR REPLACE FUNCTION pg_temp.hx(n bigint, m bigint) RETURNS int LANGUAGE sql IMMUTABLE AS $$
    SELECT (((n * m) % 4294967296) * 100 / 4294967296)::int $$`);
  // Ids for the casework: md5-derived (deterministic) but shaped as RFC 4122 version-4 UUIDs, so input validation
  // (class-validator's IsUUID) accepts them.
  await q(`CREATE OR REPLACE FUNCTION pg_temp.uid(t text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
    SELECT (substr(h, 1, 12) || '4' || substr(h, 14, 3) || substr('89ab', 1 + ('x' || substr(h, 17, 1))::bit(4)::int % 4, 1)
            || substr(h, 18))::uuid FROM md5(t) h $$`);
  // A working-day index: k = number of working days on or before d (same rule and table as haven_add_working_days).
  await q(
    `CREATE TEMP TABLE cw_day ON COMMIT DROP AS
     WITH days AS (SELECT d::date AS d FROM generate_series($1::date - 1600, $1::date + 400, interval '1 day') d),
          f AS (SELECT d, extract(isodow FROM d) < 6 AND NOT EXISTS (SELECT 1 FROM bank_holiday b WHERE b.date = days.d) AS wd FROM days)
     SELECT d, wd, (count(*) FILTER (WHERE wd) OVER (ORDER BY d))::int AS k FROM f`,
    [anchor],
  );
  await q(`ALTER TABLE cw_day ADD PRIMARY KEY (d)`);
  await q(`CREATE TEMP TABLE cw_wd ON COMMIT DROP AS SELECT k, d FROM cw_day WHERE wd`);
  await q(`ALTER TABLE cw_wd ADD PRIMARY KEY (k)`);
  // n working days after d (n < 0: before); equals haven_add_working_days(d, n) for n > 0.
  await q(`CREATE OR REPLACE FUNCTION pg_temp.awd(d date, n int) RETURNS date LANGUAGE sql STABLE AS $$
    SELECT w.d FROM cw_day x JOIN cw_wd w ON w.k = x.k + n WHERE x.d = $1 $$`);

  // The CIN census year the seed is clean for (census-faults.ts): a few dates near its first day (Y) and its reference
  // date (R) are nudged below so that nothing straddles them in a way the DfE rules query (each nudge names its rule).
  const holidays: { date: string }[] = await q(`SELECT date::text FROM bank_holiday`);
  const cx = ruleContext(seedCensusPeriod(anchor), new WorkingCalendar(holidays.map((h) => h.date)));
  const census = {
    y: cx.start, r: cx.ref, r45: cx.refMinus45Wd, r15: cx.refMinus15Wd,
    firstWorkingDay: await one(`SELECT min(d) AS d FROM cw_day WHERE wd AND d >= $1::date`, [cx.start]),
    lastWorkingDay: await one(`SELECT max(d) AS d FROM cw_day WHERE wd AND d <= $1::date`, [cx.ref]),
  };

  const tm = `md5('account-team.manager@haven.example')::uuid`;
  // Episodes: one per referral decided ASSESSMENT or STRATEGY_DISCUSSION. A "long" child (open with an earlier
  // assessment) keeps the first episode open through to today and the later referral falls inside it (no episode);
  // but not a step-up near the census year when the episode began before it (its section 47 would be returned with no
  // assessment on the episode, 2991Q): that child's step-up opens an episode of its own.
  await q(
    `CREATE TEMP TABLE cw_ep ON COMMIT DROP AS
     WITH mgr AS (
       SELECT a.team_id, (array_agg(a.id ORDER BY a.email))[1] AS manager_id
       FROM account a JOIN account_role r ON r.account_id = a.id WHERE r.role_code = 'TEAM_MANAGER' GROUP BY a.team_id
     ), chair AS (
       SELECT array_agg(a.id ORDER BY a.email) AS ids
       FROM account a JOIN account_role r ON r.account_id = a.id WHERE r.role_code = 'CONFERENCE_CHAIR'
     ), b AS (
       SELECT sr.i, sr.s, sr.id AS referral_id, sr.referral_date AS t0, sr.part, sr.decision, c.demo_k, c.age_days, c.unborn,
              (c.hist AND c.open AND NOT c.restricted
                AND CASE WHEN c.demo_k IS NOT NULL THEN c.demo_k % 2 = 0 ELSE c.i % 2 = 0 END
                AND NOT coalesce(so.decision = 'STRATEGY_DISCUSSION' AND so.referral_date BETWEEN $2::date - 60 AND $3::date
                                 AND sh.referral_date < $2::date, false)) AS long,
              c.worker_id, c.hist_worker_id
       FROM seed_ref sr JOIN seed_child c ON c.i = sr.i
       LEFT JOIN seed_ref so ON so.i = sr.i AND so.part = 'OPEN'
       LEFT JOIN seed_ref sh ON sh.i = sr.i AND sh.part = 'HIST'
       WHERE sr.decision IN ('ASSESSMENT', 'STRATEGY_DISCUSSION')
     )
     SELECT b.i, b.s, pg_temp.uid('episode-' || b.i || '-' || b.s) AS id, md5('child-' || b.i)::uuid AS child_id, b.referral_id,
            b.t0, r.source_code AS source, r.primary_need_code AS need, b.decision, b.demo_k, b.age_days, b.unborn,
            (b.part = 'OPEN' OR b.long) AS open, b.long,
            CASE WHEN b.part = 'OPEN' OR b.long THEN $1::date ELSE nx.d - 1 END AS lim,
            CASE WHEN b.long AND op.decision = 'STRATEGY_DISCUSSION' THEN op.referral_date END AS step_date,
            w.wid AS worker_id, mgr.manager_id,
            chair.ids[1 + (b.i * 7 + b.s) % cardinality(chair.ids)] AS chair_id,
            pg_temp.hx(b.i * 31 + b.s, 2654435761) AS x, pg_temp.hx(b.i * 31 + b.s, 2246822519) AS y,
            pg_temp.hx(b.i * 31 + b.s, 3266489917) AS z,
            -- a repeat CP plan: a CP plan in the closed episode and another in the open one
            (count(*) OVER (PARTITION BY b.i) = 2 AND pg_temp.hx(b.i, 374761393) < 50) AS rep
     FROM b
     JOIN referral r ON r.id = b.referral_id
     LEFT JOIN LATERAL (SELECT min(n.referral_date) AS d FROM seed_ref n WHERE n.i = b.i AND n.s > b.s) nx ON true
     LEFT JOIN seed_ref op ON b.long AND op.i = b.i AND op.part = 'OPEN'
     CROSS JOIN LATERAL (SELECT CASE WHEN b.part = 'OPEN' OR b.long THEN coalesce(b.worker_id, ${tm})
                                     ELSE b.hist_worker_id END AS wid) w
     JOIN account wa ON wa.id = w.wid
     JOIN mgr ON mgr.team_id = wa.team_id
     CROSS JOIN chair
     WHERE NOT (b.long AND b.part = 'OPEN')`,
    [anchor, census.y, census.r],
  );
  await q(`ALTER TABLE cw_ep ADD PRIMARY KEY (id)`);
  // A referral while a long episode is open joins it, as the app does: never a no-further-action referral inside an open
  // episode of need (8820, 8816).
  await q(
    `UPDATE referral r SET decision = 'ASSESSMENT', decision_reason = $1
     FROM cw_ep e WHERE e.long AND r.child_id = e.child_id AND r.referral_date > e.t0 AND r.decision IN ('NO_FURTHER_ACTION', 'EARLY_HELP')`,
    ['Case already open to a social worker: the new concerns are added to the current assessment and plan.'],
  );
  await q(
    `UPDATE seed_ref sr SET decision = 'ASSESSMENT'
     FROM cw_ep e WHERE e.long AND sr.i = e.i AND sr.referral_date > e.t0 AND sr.decision IN ('NO_FURTHER_ACTION', 'EARLY_HELP')`,
  );
  await q(
    `ALTER TABLE cw_ep ADD COLUMN a_start date, ADD COLUMN a_due date, ADD COLUMN a_state text, ADD COLUMN a_completed date,
       ADD COLUMN a_auth date, ADD COLUMN route text, ADD COLUMN sd date, ADD COLUMN icpc_target date, ADD COLUMN s47_state text,
       ADD COLUMN icpc date, ADD COLUMN s47_concluded date, ADD COLUMN icpc_plan boolean, ADD COLUMN cp_start date,
       ADD COLUMN cp_end date, ADD COLUMN cin_start date, ADD COLUMN cin_end date, ADD COLUMN closure date,
       ADD COLUMN closure_reason text, ADD COLUMN outcome text`,
  );

  // Assessments: most episodes; due 45 working days from the episode start (the referral date).
  await q(
    `UPDATE cw_ep SET a_start = CASE WHEN open THEN t0 + 1 + x % 4 ELSE least(t0 + 1 + x % 4, lim - 2) END
     WHERE open OR x % 17 <> 0`,
  );
  await q(`UPDATE cw_ep SET a_start = NULL WHERE a_start > $1::date`, [anchor]);
  await q(`UPDATE cw_ep SET a_due = haven_add_working_days(t0, 45) WHERE a_start IS NOT NULL`);
  await q(
    `UPDATE cw_ep SET a_state = CASE
       WHEN NOT open THEN CASE WHEN x < 15 AND a_due + 4 <= lim - 2 THEN 'AUTH_LATE' ELSE 'AUTH' END
       WHEN a_due >= $1::date THEN CASE WHEN demo_k IS NULL AND y % 4 = 0 AND a_start + 14 <= $1::date THEN 'AUTH' ELSE 'IN_PROGRESS' END
       WHEN long OR $1::date - t0 > 200 THEN CASE WHEN x < 15 THEN 'AUTH_LATE' ELSE 'AUTH' END
       WHEN x < 6 THEN 'IN_PROGRESS' WHEN x < 9 THEN 'COMPLETED_LATE' WHEN x < 23 THEN 'AUTH_LATE' ELSE 'AUTH' END
     WHERE a_start IS NOT NULL`,
    [anchor],
  );
  // The demo worker: the most recent of their assessments that could be overdue is (due-soon ones stay in progress).
  await q(
    `UPDATE cw_ep SET a_state = 'IN_PROGRESS' WHERE id = (
       SELECT id FROM cw_ep WHERE demo_k IS NOT NULL AND open AND NOT long AND decision = 'ASSESSMENT' AND a_due < $1::date - 5
       ORDER BY t0 DESC LIMIT 1)`,
    [anchor],
  );
  await q(
    `UPDATE cw_ep SET a_completed = CASE
         WHEN a_state = 'AUTH' THEN least(a_start + 10 + (x * 7) % 45, CASE WHEN open THEN $1::date - 1 ELSE lim - 2 END)
         WHEN a_state IN ('AUTH_LATE', 'COMPLETED_LATE') THEN least(a_due + 2 + (x * 3) % 35, CASE WHEN open THEN $1::date ELSE lim - 2 END) END`,
    [anchor],
  );
  await q(
    `UPDATE cw_ep SET a_auth = least(a_completed + x % 3, CASE WHEN open THEN $1::date ELSE lim - 1 END)
     WHERE a_state IN ('AUTH', 'AUTH_LATE')`,
    [anchor],
  );
  // 8670Q: an assessment still open at R started at most 45 working days before it (a long one is authorised by R).
  await q(
    `UPDATE cw_ep SET a_auth = $3::date, a_completed = least(a_completed, $3::date) WHERE a_start < $1::date AND a_auth > $2::date`,
    [census.r45, census.r, census.lastWorkingDay],
  );

  // The course of each episode.
  await q(
    `UPDATE cw_ep SET route = CASE
       WHEN NOT open THEN CASE WHEN a_start IS NULL THEN 'NONE'
                               WHEN a_auth IS NULL OR a_auth + 60 > lim THEN 'CLOSE'
                               WHEN rep AND a_auth + 150 <= lim THEN 'CP'
                               WHEN y < 18 THEN 'CLOSE'
                               WHEN y < 60 OR a_auth + 150 > lim THEN 'CIN'
                               WHEN y < 80 THEN 'CP' ELSE 'CP_CIN' END
       WHEN decision = 'STRATEGY_DISCUSSION' AND NOT long THEN CASE WHEN y < 60 THEN 'CP' ELSE 'CP_CIN' END
       WHEN step_date IS NOT NULL THEN CASE WHEN a_auth + 30 < step_date THEN 'CIN_CP' ELSE 'CP' END
       WHEN a_auth IS NULL THEN 'ASSESS'
       WHEN long THEN CASE WHEN y < 45 OR t0 < $1::date - 760 THEN 'CP' WHEN y < 75 THEN 'CIN' ELSE 'CP_CIN' END
       WHEN rep AND a_auth < $1::date - 1 THEN 'CP'
       WHEN y < 55 THEN CASE WHEN z < 5 AND a_auth + 25 < $1::date THEN 'CIN_S47' ELSE 'CIN' END
       WHEN y < 78 THEN 'CP' ELSE 'CP_CIN' END`,
    [anchor],
  );
  // The demo worker's caseload shows every course: a recent strategy discussion on a CIN case, CP and step-down.
  await q(
    `WITH d AS (SELECT id, row_number() OVER (ORDER BY demo_k) AS rn FROM cw_ep
                WHERE demo_k IS NOT NULL AND open AND NOT long AND a_auth IS NOT NULL AND a_auth + 25 < $1::date)
     UPDATE cw_ep e SET route = CASE d.rn WHEN 1 THEN 'CIN_S47' WHEN 2 THEN 'CP' WHEN 3 THEN 'CP' WHEN 4 THEN 'CP_CIN' ELSE e.route END
     FROM d WHERE d.id = e.id AND d.rn <= 4`,
    [anchor],
  );

  // Strategy discussions and section 47 enquiries: the ICPC is due 15 working days after the strategy discussion.
  await q(
    `UPDATE cw_ep SET sd = least($1::date, CASE
         WHEN route = 'CIN_S47' THEN $1::date - (1 + x % 10)
         WHEN route = 'CIN_CP' OR (long AND step_date IS NOT NULL) THEN step_date
         WHEN decision = 'STRATEGY_DISCUSSION' AND NOT long THEN t0 + x % 2
         ELSE a_auth + 1 END)
     WHERE route IN ('CP', 'CP_CIN', 'CIN_CP', 'CIN_S47')`,
    [anchor],
  );
  // 2991Q: an enquiry begun by R has its assessment begun by R too.
  await q(`UPDATE cw_ep SET a_start = sd WHERE sd <= $1::date AND a_start > $1::date`, [census.r]);
  await q(`UPDATE cw_ep SET icpc_target = haven_add_working_days(sd, 15) WHERE sd IS NOT NULL`);
  await q(
    `UPDATE cw_ep SET s47_state = CASE
         WHEN NOT open THEN CASE WHEN z < 10 AND NOT rep THEN 'NOT_REQUIRED' WHEN z < 28 THEN 'LATE' ELSE 'ON_TIME' END
         WHEN icpc_target >= $1::date OR route = 'CIN_S47' THEN 'OPEN'
         WHEN demo_k IS NOT NULL OR rep THEN CASE WHEN z < 40 THEN 'LATE' ELSE 'ON_TIME' END
         WHEN z < 5 AND $1::date - sd < 60 THEN 'OPEN'
         WHEN z < 15 THEN 'NOT_REQUIRED' WHEN z < 32 THEN 'LATE' ELSE 'ON_TIME' END
     WHERE sd IS NOT NULL`,
    [anchor],
  );
  // The most recent enquiries whose conference is now overdue stay open (at least one at any size).
  await q(
    `UPDATE cw_ep SET s47_state = 'OPEN' WHERE id IN (
       SELECT id FROM cw_ep WHERE open AND demo_k IS NULL AND NOT rep AND icpc_target < $1::date AND s47_state <> 'OPEN'
       ORDER BY sd DESC, id LIMIT $2)`,
    [anchor, Math.max(1, Math.round(spec.children / 4000))],
  );
  await q(
    `UPDATE cw_ep SET
       icpc = CASE s47_state WHEN 'ON_TIME' THEN pg_temp.awd(icpc_target, -(x % 3))
                             WHEN 'LATE' THEN least(pg_temp.awd(icpc_target, 1 + x % 8), $1::date) END,
       s47_concluded = CASE s47_state WHEN 'NOT_REQUIRED' THEN least(pg_temp.awd(sd, 3 + x % 8), $1::date) END
     WHERE sd IS NOT NULL`,
    [anchor],
  );
  // 8675Q: an enquiry still without its conference at R started at most 15 working days before it.
  await q(`UPDATE cw_ep SET icpc = $3::date WHERE sd < $1::date AND icpc > $2::date`, [census.r15, census.r, census.lastWorkingDay]);
  await q(`UPDATE cw_ep SET s47_concluded = icpc, icpc_plan = (x % 8 <> 0 OR demo_k IS NOT NULL OR rep) WHERE icpc IS NOT NULL`);
  // 2991Q: an enquiry returned for the census year (begun by R, not over before Y) comes with its assessment, so an
  // assessment authorised just before Y is authorised on Y's first working day instead.
  await q(
    `UPDATE cw_ep SET a_auth = $3::date
     WHERE route IN ('CP', 'CP_CIN') AND step_date IS NULL AND sd <= $2::date AND a_start < $1::date AND a_auth < $1::date
       AND coalesce(icpc, s47_concluded, 'infinity') >= $1::date`,
    [census.y, census.r, census.firstWorkingDay],
  );

  // Plans. CP plans start at the initial conference that decided them; a CIN plan never overlaps a CP plan.
  await q(
    `UPDATE cw_ep SET cp_start = icpc,
       cp_end = CASE
         WHEN NOT open AND route = 'CP_CIN' THEN least(icpc + 100 + (x * 17) % 200, lim - 63)
         WHEN NOT open THEN least(icpc + 100 + (x * 17) % 300, lim - 3)
         WHEN route = 'CP_CIN' AND $1::date - icpc >= 200 THEN icpc + 120 + (x * 17) % ($1::date - icpc - 150) END
     WHERE icpc_plan`,
    [anchor],
  );
  await q(
    `UPDATE cw_ep SET cin_start = CASE
         WHEN route IN ('CIN', 'CIN_S47', 'CIN_CP') THEN a_auth + 3 + x % 7
         WHEN route = 'CP_CIN' AND cp_end IS NOT NULL THEN cp_end + 1
         WHEN route IN ('CP', 'CP_CIN') AND cp_start IS NULL AND s47_concluded IS NOT NULL THEN s47_concluded + 2 + x % 5 END`,
  );
  await q(`UPDATE cw_ep SET cin_start = NULL WHERE cin_start > least(lim - 5, $1::date)`, [anchor]);
  await q(
    `UPDATE cw_ep SET cin_end = CASE
         WHEN route = 'CIN_CP' THEN cp_start - 1
         WHEN NOT open AND route = 'CP_CIN' AND cp_end IS NOT NULL THEN least(cin_start + 40 + x % 100, lim - 2)
         WHEN NOT open THEN least(cin_start + 60 + (x * 11) % 300, lim - 2) END
     WHERE cin_start IS NOT NULL`,
  );
  await q(
    `UPDATE cw_ep SET outcome = CASE
         WHEN route = 'CLOSE' THEN CASE WHEN x % 5 < 3 THEN 'CLOSE' ELSE 'EARLY_HELP' END
         WHEN route IN ('CP', 'CP_CIN') AND (cp_start IS NOT NULL OR decision <> 'STRATEGY_DISCUSSION') THEN 'STRATEGY_DISCUSSION'
         ELSE 'CIN_PLAN' END
     WHERE a_completed IS NOT NULL`,
  );
  // Closure: after the last event, before the next referral. RC8/RC9 only for episodes closed after assessment.
  await q(
    `UPDATE cw_ep SET
       closure = least(lim, greatest(t0, a_start, a_completed, a_auth, sd, icpc, s47_concluded, cp_end, cin_end) + 1 + x % 3),
       closure_reason = CASE
         WHEN route = 'NONE' THEN CASE WHEN x % 2 = 0 THEN 'RC5' ELSE 'RC7' END
         WHEN route = 'CLOSE' THEN CASE WHEN outcome = 'EARLY_HELP' THEN 'RC9' ELSE 'RC8' END
         WHEN y % 20 = 1 THEN 'RC3' WHEN y % 20 = 2 THEN 'RC4' WHEN y % 20 = 3 THEN 'RC5'
         WHEN x = 98 AND age_days > 6200 THEN 'RC6' ELSE 'RC7' END
     WHERE NOT open`,
  );
  // 8825Q, 8873Q: an episode closed after assessment closes in the census year its assessment was authorised in (by
  // 31 March when authorised before Y, by R when authorised by R), so the return never holds one without the other.
  await q(
    `UPDATE cw_ep SET closure = CASE WHEN a_auth < $1::date THEN $1::date - 1 ELSE $2::date END
     WHERE route = 'CLOSE' AND NOT open AND ((a_auth < $1::date AND closure >= $1::date) OR (a_auth <= $2::date AND closure > $2::date))`,
    [census.y, census.r],
  );

  const stamp = (d: string) => `((${d})::timestamp + interval '10 hours') AT TIME ZONE 'Europe/London'`;
  await q(
    `INSERT INTO episode (id, child_id, referral_id, start_date, referral_source, primary_need_code, closure_date, closure_reason,
                          created_at, updated_at, created_by_id, updated_by_id)
     SELECT id, child_id, referral_id, t0, source, need, closure, closure_reason,
            ${stamp('t0')}, ${stamp('coalesce(closure, t0)')}, worker_id, CASE WHEN closure IS NULL THEN worker_id ELSE manager_id END
     FROM cw_ep`,
  );
  await q(
    `INSERT INTO assessment (id, child_id, episode_id, status, start_date, due_date, completed_date, authorised_date, authorised_by_id,
                             factors, risks, strengths, protective_factors, childs_views, analysis, outcome, late_reason,
                             created_at, updated_at, created_by_id, updated_by_id)
     SELECT pg_temp.uid('assessment-' || i || '-' || s), child_id, id,
            CASE WHEN a_auth IS NOT NULL THEN 'AUTHORISED' WHEN a_completed IS NOT NULL THEN 'COMPLETED' ELSE 'IN_PROGRESS' END,
            a_start, a_due, a_completed, a_auth, CASE WHEN a_auth IS NOT NULL THEN manager_id END,
            CASE WHEN a_completed IS NULL THEN '{}'::text[]
                 WHEN outcome = 'CLOSE' AND x % 3 = 0 THEN '{21}'::text[]
                 ELSE ($1::text[])[1 + (i * 5 + s) % cardinality($1::text[])]::text[] END,
            ($2::text[])[1 + (i + s) % cardinality($2::text[])],
            ($3::text[])[1 + (i * 3 + s) % cardinality($3::text[])],
            CASE WHEN a_completed IS NOT NULL THEN ($4::text[])[1 + i % cardinality($4::text[])] END,
            CASE WHEN a_completed IS NOT NULL OR x % 2 = 0 THEN ($5::text[])[1 + (i * 7) % cardinality($5::text[])] END,
            CASE WHEN a_completed IS NOT NULL THEN ($6::text[])[1 + (i + x) % cardinality($6::text[])] END,
            outcome,
            CASE WHEN a_completed > a_due THEN ($7::text[])[1 + (i + s) % cardinality($7::text[])] END,
            ${stamp('a_start')}, ${stamp('coalesce(a_auth, a_completed, a_start)')}, worker_id,
            CASE WHEN a_auth IS NOT NULL THEN manager_id ELSE worker_id END
     FROM cw_ep WHERE a_start IS NOT NULL`,
    [FACTOR_SETS, RISKS, STRENGTHS, PROTECTIVE, CHILD_VIEWS, ANALYSES, LATE_REASONS],
  );
  await q(
    `INSERT INTO strategy_discussion (id, child_id, episode_id, held_on, participants, decision, rationale,
                                      created_at, updated_at, created_by_id, updated_by_id)
     SELECT pg_temp.uid('strategy-' || e.i || '-' || e.s), e.child_id, e.id, e.sd,
            jsonb_build_array(
              jsonb_build_object('agency', 'Police', 'name', 'DC ' || ($1::text[])[1 + (e.i * 3) % cardinality($1::text[])], 'role', 'Officer'),
              jsonb_build_object('agency', 'Health', 'name', 'Nurse ' || ($1::text[])[1 + (e.i * 5) % cardinality($1::text[])],
                                 'role', 'Named nurse for safeguarding'),
              jsonb_build_object('agency', 'Education', 'name', 'Ms ' || ($1::text[])[1 + (e.i * 11) % cardinality($1::text[])],
                                 'role', 'Designated safeguarding lead'),
              jsonb_build_object('agency', 'Children''s social care', 'name', w.display_name, 'role', 'Social worker')),
            'START_SECTION_47', ($2::text[])[1 + (e.i + e.s) % cardinality($2::text[])],
            ${stamp('e.sd')}, ${stamp('e.sd')}, e.worker_id, e.worker_id
     FROM cw_ep e JOIN account w ON w.id = e.worker_id WHERE e.sd IS NOT NULL`,
    [SURNAMES_FOR_AGENCIES, SD_RATIONALES],
  );
  await q(
    `INSERT INTO section47 (id, child_id, episode_id, strategy_discussion_id, start_date, icpc_target_date, status,
                            conference_not_required, not_required_reason, icpc_date, concluded_on,
                            created_at, updated_at, created_by_id, updated_by_id)
     SELECT pg_temp.uid('section47-' || i || '-' || s), child_id, id, pg_temp.uid('strategy-' || i || '-' || s), sd, icpc_target,
            CASE WHEN s47_concluded IS NULL THEN 'OPEN' ELSE 'CONCLUDED' END,
            s47_state = 'NOT_REQUIRED', CASE WHEN s47_state = 'NOT_REQUIRED' THEN ($1::text[])[1 + i % cardinality($1::text[])] END,
            icpc, s47_concluded, ${stamp('sd')}, ${stamp('coalesce(s47_concluded, sd)')}, worker_id, worker_id
     FROM cw_ep WHERE sd IS NOT NULL`,
    [NOT_REQUIRED],
  );

  // Plans (CP and CIN), with their review and visit flags; the demo worker's caseload gets one of each problem.
  await q(
    `CREATE TEMP TABLE cw_plan ON COMMIT DROP AS
     SELECT e.i, e.s, e.i || '-' || e.s || '-' || p.t AS pkey, pg_temp.uid('plan-' || e.i || '-' || e.s || '-' || p.t) AS id,
            e.id AS episode_id, e.child_id, p.type, p.st AS start_date, p.en AS end_date, e.worker_id, e.manager_id, e.chair_id,
            e.x, e.demo_k, e.open, e.route, e.unborn, e.age_days,
            CASE WHEN p.t = 'CP' THEN (ARRAY['NEG', 'NEG', 'NEG', 'EMO', 'EMO', 'PHY', 'SAB', 'MUL'])[1 + (e.i + e.s) % 8] END AS category,
            (p.en IS NULL AND pg_temp.hx(e.i * 31 + e.s, 668265263) < 9) AS review_overdue,
            (p.en IS NULL AND pg_temp.hx(e.i * 31 + e.s, 374761393) < 10) AS visit_overdue,
            (pg_temp.hx(e.i * 31 + e.s, 2654435769) < CASE WHEN p.t = 'CP' THEN 70 ELSE 60 END) AS frequent,
            CASE WHEN p.en IS NULL THEN NULL
                 WHEN p.t = 'CIN' AND e.route = 'CIN_CP' THEN 'Stepped up to a child protection plan'
                 WHEN p.t = 'CP' AND e.cin_start IS NOT NULL AND e.cin_start > p.en THEN 'Stepped down to a child in need plan'
                 WHEN p.t = 'CP' THEN 'Review conference: no longer at risk of significant harm'
                 ELSE 'Outcomes achieved; case closing' END AS end_reason
     FROM cw_ep e
     CROSS JOIN LATERAL (VALUES ('CP', 'CHILD_PROTECTION', e.cp_start, e.cp_end), ('CIN', 'CHILD_IN_NEED', e.cin_start, e.cin_end)) AS p(t, type, st, en)
     WHERE p.st IS NOT NULL`,
  );
  await q(`ALTER TABLE cw_plan ADD PRIMARY KEY (id)`);
  await q(
    `WITH d AS (SELECT id, row_number() OVER (ORDER BY type = 'CHILD_PROTECTION' DESC, start_date, id) AS rn FROM cw_plan
                WHERE demo_k IS NOT NULL AND end_date IS NULL AND start_date < $1::date - 200)
     UPDATE cw_plan p SET review_overdue = (d.rn = 2), visit_overdue = (d.rn = 3), frequent = (d.rn = 1) OR p.frequent
     FROM d WHERE d.id = p.id`,
    [anchor],
  );

  // Reviews: CIN plans every 3 months (plan_review); CP plans by conference, first at 3 months then every 6.
  // Each row is one due review; `held` false marks the first one not (yet) held, whose due date is next_review_due.
  await q(
    `CREATE TEMP TABLE cw_rev ON COMMIT DROP AS
     WITH RECURSIVE rv AS (
       SELECT p.id AS plan_id, 1 AS k, d.due, h.held_on, c.ok
       FROM cw_plan p
       CROSS JOIN LATERAL (SELECT (p.start_date + interval '3 months')::date AS due) d
       CROSS JOIN LATERAL (SELECT coalesce(p.end_date - 1, $1::date) AS cap) cp
       CROSS JOIN LATERAL (SELECT CASE WHEN (p.x + 1) % 7 = 0 AND d.due + 7 <= cp.cap THEN d.due + 1 + (p.x + 1) % 6
                                       ELSE d.due - (p.x + 1) % 8 END AS held_on) h
       CROSS JOIN LATERAL (SELECT CASE WHEN p.end_date IS NOT NULL THEN d.due <= p.end_date - 1
                                       WHEN p.review_overdue THEN d.due <= $1::date - CASE WHEN p.type = 'CHILD_PROTECTION' THEN 200 ELSE 100 END
                                       ELSE d.due <= $1::date END AS ok) c
       UNION ALL
       SELECT p.id, rv.k + 1, d.due, h.held_on, c.ok
       FROM rv JOIN cw_plan p ON p.id = rv.plan_id
       CROSS JOIN LATERAL (SELECT (rv.held_on + CASE WHEN p.type = 'CHILD_PROTECTION' THEN interval '6 months'
                                                     ELSE interval '3 months' END)::date AS due) d
       CROSS JOIN LATERAL (SELECT coalesce(p.end_date - 1, $1::date) AS cap) cp
       CROSS JOIN LATERAL (SELECT CASE WHEN (p.x + rv.k + 1) % 7 = 0 AND d.due + 7 <= cp.cap THEN d.due + 1 + (p.x + rv.k + 1) % 6
                                       ELSE d.due - (p.x + rv.k + 1) % 8 END AS held_on) h
       CROSS JOIN LATERAL (SELECT CASE WHEN p.end_date IS NOT NULL THEN d.due <= p.end_date - 1
                                       WHEN p.review_overdue THEN d.due <= $1::date - CASE WHEN p.type = 'CHILD_PROTECTION' THEN 200 ELSE 100 END
                                       ELSE d.due <= $1::date END AS ok) c
       WHERE rv.ok
     )
     SELECT plan_id, k, due, held_on, ok AS held FROM rv`,
    [anchor],
  );
  await q(`ALTER TABLE cw_rev ADD PRIMARY KEY (plan_id, k)`);

  await q(
    `INSERT INTO plan (id, child_id, episode_id, type, status, start_date, end_date, end_reason, contingency, family_summary,
                       next_review_due, initial_category, latest_category, created_at, updated_at, created_by_id, updated_by_id)
     SELECT p.id, p.child_id, p.episode_id, p.type, CASE WHEN p.end_date IS NULL THEN 'ACTIVE' ELSE 'ENDED' END, p.start_date,
            p.end_date, p.end_reason, ($1::text[])[1 + (p.i + p.s) % cardinality($1::text[])],
            ($2::text[])[1 + (p.i * 3 + p.s) % cardinality($2::text[])],
            CASE WHEN p.end_date IS NULL THEN (SELECT r.due FROM cw_rev r WHERE r.plan_id = p.id AND NOT r.held) END,
            p.category, CASE WHEN p.category IS NOT NULL AND p.x % 6 = 0 AND p.category <> 'MUL' THEN 'MUL' ELSE p.category END,
            ${stamp('p.start_date')}, ${stamp('coalesce(p.end_date, p.start_date)')}, p.worker_id, p.worker_id
     FROM cw_plan p`,
    [CONTINGENCIES, FAMILY_SUMMARIES],
  );
  await q(
    `INSERT INTO plan_outcome (id, plan_id, position, need_to_change, measure, by_when, created_at, updated_at, created_by_id, updated_by_id)
     SELECT pg_temp.uid('plan-outcome-' || p.pkey || '-' || k), p.id, k,
            ($1::text[])[1 + (p.i + k * 3) % cardinality($1::text[])], ($2::text[])[1 + (p.i + k * 3) % cardinality($2::text[])],
            (p.start_date + (3 + k) * interval '1 month')::date, ${stamp('p.start_date')}, ${stamp('p.start_date')}, p.worker_id, p.worker_id
     FROM cw_plan p CROSS JOIN LATERAL generate_series(1, 1 + p.x % 3) k`,
    [NEEDS, MEASURES],
  );
  await q(
    `INSERT INTO plan_action (id, plan_id, outcome_id, who, what, by_when, status, created_at, updated_at, created_by_id, updated_by_id)
     SELECT pg_temp.uid('plan-action-' || p.pkey || '-' || k), p.id, pg_temp.uid('plan-outcome-' || p.pkey || '-' || (1 + (k - 1) % (1 + p.x % 3))),
            ($1::text[])[1 + (p.i * 2 + k) % cardinality($1::text[])], ($2::text[])[1 + (p.i * 2 + k) % cardinality($2::text[])],
            b.by_when,
            CASE WHEN p.end_date IS NOT NULL THEN CASE WHEN (p.x + k) % 5 = 0 THEN 'NOT_DONE' ELSE 'DONE' END
                 WHEN b.by_when < $3::date THEN CASE WHEN (p.x + k) % 4 = 0 THEN 'IN_PROGRESS' ELSE 'DONE' END
                 WHEN (p.x + k) % 3 = 0 THEN 'NOT_STARTED' ELSE 'IN_PROGRESS' END,
            ${stamp('p.start_date')}, ${stamp('coalesce(p.end_date, p.start_date)')}, p.worker_id, p.worker_id
     FROM cw_plan p CROSS JOIN LATERAL generate_series(1, 1 + (p.x / 3) % 3) k
     CROSS JOIN LATERAL (SELECT (p.start_date + (4 + 2 * k) * interval '1 week')::date AS by_when) b`,
    [ACTIONS.map((a) => a[0]), ACTIONS.map((a) => a[1]), anchor],
  );
  await q(
    `INSERT INTO plan_revision (id, plan_id, version, content, changed_by_id, created_at)
     SELECT pg_temp.uid('plan-revision-' || p.id || '-1'), p.id, 1,
            jsonb_build_object('type', p.type, 'startDate', p.start_date, 'contingency', pl.contingency, 'familySummary', pl.family_summary,
              'outcomes', (SELECT jsonb_agg(jsonb_build_object('id', o.id, 'position', o.position, 'needToChange', o.need_to_change,
                                                               'measure', o.measure, 'byWhen', o.by_when) ORDER BY o.position)
                           FROM plan_outcome o WHERE o.plan_id = p.id),
              'actions', (SELECT jsonb_agg(jsonb_build_object('id', a.id, 'outcomeId', a.outcome_id, 'who', a.who, 'what', a.what,
                                                              'byWhen', a.by_when) ORDER BY a.by_when, a.id)
                          FROM plan_action a WHERE a.plan_id = p.id)),
            p.worker_id, ${stamp('p.start_date')}
     FROM cw_plan p JOIN plan pl ON pl.id = p.id`,
  );
  // CIN plan reviews held, then the review that ended the plan.
  await q(
    `INSERT INTO plan_review (id, plan_id, held_on, progress, decision, summary, due_by, reviewer_id,
                              created_at, updated_at, created_by_id, updated_by_id)
     SELECT pg_temp.uid('plan-review-' || p.pkey || '-' || r.k), p.id, r.held_on,
            (SELECT jsonb_agg(jsonb_build_object('outcomeId', pg_temp.uid('plan-outcome-' || p.pkey || '-' || o),
                                                 'rating', (ARRAY['GOOD', 'SOME', 'SOME', 'NONE'])[1 + (p.x + r.k + o) % 4],
                                                 'comment', ($1::text[])[1 + (p.i + r.k + o) % cardinality($1::text[])]) ORDER BY o)
             FROM generate_series(1, 1 + p.x % 3) o),
            CASE WHEN r.final THEN CASE WHEN p.route = 'CIN_CP' THEN 'STEP_UP' ELSE 'END' END ELSE 'CONTINUE' END,
            ($1::text[])[1 + (p.i + r.k) % cardinality($1::text[])], r.due, p.worker_id,
            ${stamp('r.held_on')}, ${stamp('r.held_on')}, p.worker_id, p.worker_id
     FROM cw_plan p
     JOIN (SELECT plan_id, k, due, held_on, false AS final FROM cw_rev WHERE held
           UNION ALL
           SELECT r.plan_id, r.k, r.due, pp.end_date, true FROM cw_rev r JOIN cw_plan pp ON pp.id = r.plan_id
           WHERE NOT r.held AND pp.end_date IS NOT NULL) r ON r.plan_id = p.id
     WHERE p.type = 'CHILD_IN_NEED'`,
    [REVIEW_SUMMARIES],
  );
  // Conferences: every initial conference (from its section 47), then review conferences of each CP plan.
  const attendees = (chair: string) => `jsonb_build_array(
      jsonb_build_object('agency', 'Independent Reviewing Service', 'name', ${chair}, 'role', 'Chair', 'attended', true),
      jsonb_build_object('agency', 'Children''s social care', 'name', w.display_name, 'role', 'Social worker', 'attended', true),
      jsonb_build_object('agency', 'Police', 'name', 'DC ' || ($1::text[])[1 + (e.i * 3) % cardinality($1::text[])], 'role', 'Officer',
                         'attended', e.x % 4 <> 0),
      jsonb_build_object('agency', 'Health', 'name', 'Nurse ' || ($1::text[])[1 + (e.i * 5) % cardinality($1::text[])],
                         'role', 'Health visitor', 'attended', true),
      jsonb_build_object('agency', 'Family', 'name', 'Parent', 'role', 'Parent', 'attended', e.x % 9 <> 0))`;
  await q(
    `INSERT INTO child_protection_conference (id, child_id, episode_id, kind, section47_id, plan_id, held_on, chair_id, attendees,
                                              decision, category, rationale, due_by, created_at, updated_at, created_by_id, updated_by_id)
     SELECT pg_temp.uid('conference-' || e.i || '-' || e.s || '-0'), e.child_id, e.id, 'INITIAL', pg_temp.uid('section47-' || e.i || '-' || e.s),
            CASE WHEN e.icpc_plan THEN pg_temp.uid('plan-' || e.i || '-' || e.s || '-CP') END, e.icpc, e.chair_id,
            ${attendees('ch.display_name')},
            CASE WHEN e.icpc_plan THEN 'PLAN' ELSE 'NO_PLAN' END,
            CASE WHEN e.icpc_plan THEN (ARRAY['NEG', 'NEG', 'NEG', 'EMO', 'EMO', 'PHY', 'SAB', 'MUL'])[1 + (e.i + e.s) % 8] END,
            CASE WHEN e.icpc_plan THEN ($2::text[])[1] ELSE ($2::text[])[4] END, e.icpc_target,
            ${stamp('e.icpc')}, ${stamp('e.icpc')}, e.chair_id, e.chair_id
     FROM cw_ep e JOIN account w ON w.id = e.worker_id JOIN account ch ON ch.id = e.chair_id
     WHERE e.icpc IS NOT NULL`,
    [SURNAMES_FOR_AGENCIES, CONFERENCE_RATIONALES],
  );
  await q(
    `INSERT INTO child_protection_conference (id, child_id, episode_id, kind, plan_id, held_on, chair_id, attendees,
                                              decision, category, rationale, due_by, created_at, updated_at, created_by_id, updated_by_id)
     SELECT pg_temp.uid('conference-' || e.i || '-' || e.s || '-' || r.k), e.child_id, e.id, 'REVIEW', p.id, r.held_on, e.chair_id,
            ${attendees('ch.display_name')},
            CASE WHEN r.final THEN 'END_PLAN' ELSE 'CONTINUE' END,
            CASE WHEN p.x % 6 = 0 AND p.category <> 'MUL' THEN 'MUL' ELSE p.category END,
            CASE WHEN r.final THEN ($2::text[])[3] ELSE ($2::text[])[2] END, r.due,
            ${stamp('r.held_on')}, ${stamp('r.held_on')}, e.chair_id, e.chair_id
     FROM cw_plan p JOIN cw_ep e ON e.id = p.episode_id JOIN account w ON w.id = e.worker_id JOIN account ch ON ch.id = e.chair_id
     JOIN (SELECT plan_id, k, due, held_on, false AS final FROM cw_rev WHERE held
           UNION ALL
           SELECT r.plan_id, r.k, r.due, pp.end_date, true FROM cw_rev r JOIN cw_plan pp ON pp.id = r.plan_id
           WHERE NOT r.held AND pp.end_date IS NOT NULL) r ON r.plan_id = p.id
     WHERE p.type = 'CHILD_PROTECTION'`,
    [SURNAMES_FOR_AGENCIES, CONFERENCE_RATIONALES],
  );

  // Visits over each plan's life at (or a little more often than) the plan type's frequency (plan_type_setting);
  // frequent visiting at half the interval; a child "overdue" has had no visit for longer than the frequency.
  await q(
    `INSERT INTO visit (id, child_id, plan_id, visited_on, type, seen, seen_alone, present, note,
                        created_at, updated_at, created_by_id, updated_by_id)
     SELECT pg_temp.uid('visit-' || p.pkey || '-' || n), p.child_id, p.id, w.d,
            (ARRAY['HOME', 'HOME', 'HOME', 'HOME', 'HOME', 'HOME', 'SCHOOL', 'SCHOOL', 'OFFICE', 'VIRTUAL', 'HOME', 'SCHOOL', 'OTHER'])[1 + (n * 7 + p.x) % 13],
            v.seen, v.seen AND NOT p.unborn AND p.age_days >= 4 * 365 AND (n + p.x) % 4 <> 0,
            CASE (n + p.i) % 6 WHEN 0 THEN '{}'::text[] WHEN 1 THEN '{Mother}'::text[] WHEN 2 THEN '{Mother,Father}'::text[]
                               WHEN 3 THEN '{Mother,Sibling}'::text[] WHEN 4 THEN '{Grandparent}'::text[] ELSE '{Father}'::text[] END,
            CASE WHEN v.seen THEN ($2::text[])[1 + (n + p.i) % cardinality($2::text[])] ELSE ($2::text[])[4] END,
            ${stamp('w.d')}, ${stamp('w.d')}, p.worker_id, p.worker_id
     FROM cw_plan p
     JOIN plan_type_setting st ON st.plan_type = p.type
     JOIN cw_day ks ON ks.d = p.start_date
     JOIN cw_day ke ON ke.d = coalesce(p.end_date, $1::date)
     CROSS JOIN LATERAL (SELECT CASE WHEN p.frequent THEN st.visit_every_working_days / 2
                                     ELSE st.visit_every_working_days - (p.x % 3) * (st.visit_every_working_days / 10) END AS step,
                                CASE WHEN p.visit_overdue THEN ke.k - st.visit_every_working_days - 3 - p.x % 10 ELSE ke.k END AS k_last) f
     CROSS JOIN LATERAL generate_series(1, greatest((f.k_last - ks.k) / f.step, 0)) n
     -- a little jitter, except on the last visit of an active plan (which sets the next visit's due date)
     JOIN cw_wd w ON w.k = ks.k + n * f.step - CASE WHEN ks.k + (n + 1) * f.step > f.k_last THEN 0 ELSE (n * p.x) % 3 END
     CROSS JOIN LATERAL (SELECT (n + p.x) % 11 <> 0 OR p.end_date IS NULL AND ks.k + (n + 1) * f.step > f.k_last AS seen) v`,
    [anchor, VISIT_NOTES],
  );

  // Supervision: every social worker by their team manager over the last six months, every 20 working days (10 for
  // newly qualified workers); some workers (and the demo worker) overdue. Each session discusses 2-5 of their children.
  await q(`UPDATE account SET supervision_every_working_days = 10 WHERE newly_qualified`);
  await q(
    `CREATE TEMP TABLE cw_sup ON COMMIT DROP AS
     WITH sw AS (
       SELECT a.id, a.email, a.supervision_every_working_days AS every, m.manager_id,
              pg_temp.hx(('x' || substr(md5(a.email), 1, 7))::bit(28)::bigint, 2654435761) AS h
       FROM account a JOIN account_role r ON r.account_id = a.id AND r.role_code = 'SOCIAL_WORKER'
       JOIN (SELECT a2.team_id, (array_agg(a2.id ORDER BY a2.email))[1] AS manager_id
             FROM account a2 JOIN account_role r2 ON r2.account_id = a2.id WHERE r2.role_code = 'TEAM_MANAGER' GROUP BY a2.team_id) m
         ON m.team_id = a.team_id
     ), off AS (
       SELECT sw.*, CASE WHEN sw.email = 'social.worker@haven.example' OR sw.h < 15 THEN sw.every + 5 + sw.h % 15
                         ELSE sw.h % sw.every END AS offset_wd
       FROM sw
     )
     SELECT pg_temp.uid('supervision-' || o.email || '-' || m) AS id, o.id AS supervisee_id, o.manager_id, o.h, m, w.d AS held_on
     FROM off o
     JOIN cw_day ka ON ka.d = $1::date
     CROSS JOIN LATERAL generate_series(0, 200 / o.every) m
     JOIN cw_wd w ON w.k = ka.k - o.offset_wd - m * o.every
     WHERE w.d >= ($1::date - interval '6 months')::date`,
    [anchor],
  );
  await q(
    `INSERT INTO supervision (id, supervisor_id, supervisee_id, held_on, general_notes, created_at, updated_at, created_by_id, updated_by_id)
     SELECT id, manager_id, supervisee_id, held_on, ($1::text[])[1 + (h + m) % cardinality($1::text[])],
            ${stamp('held_on')}, ${stamp('held_on')}, manager_id, manager_id
     FROM cw_sup`,
    [SUPERVISION_NOTES],
  );
  await q(
    `INSERT INTO supervision_case (id, supervision_id, child_id, reflection, decisions, actions, created_at, updated_at,
                                   created_by_id, updated_by_id)
     SELECT pg_temp.uid('supervision-case-' || s.id || '-' || j), s.id, kids.ids[1 + (s.m * 3 + j) % cardinality(kids.ids)],
            ($1::text[])[1 + (s.h + s.m + j) % cardinality($1::text[])], ($2::text[])[1 + (s.h + j) % cardinality($2::text[])],
            jsonb_build_array(jsonb_build_object('owner', 'Social worker', 'action', ($2::text[])[1 + (s.m + j) % cardinality($2::text[])],
                                                 'byWhen', s.held_on + 14)),
            ${stamp('s.held_on')}, ${stamp('s.held_on')}, s.manager_id, s.manager_id
     FROM cw_sup s
     JOIN (SELECT worker_id, array_agg(child_id ORDER BY child_id) AS ids FROM allocation
           WHERE ended_at IS NULL AND worker_id IS NOT NULL GROUP BY worker_id) kids ON kids.worker_id = s.supervisee_id
     CROSS JOIN LATERAL generate_series(0, least(2 + (s.m + s.h) % 4, cardinality(kids.ids)) - 1) j`,
    [REFLECTIONS, SUPERVISION_DECISIONS],
  );

  // Management decisions on a share of open cases (and on every demo case with an authorised assessment).
  await q(
    `INSERT INTO management_decision (id, child_id, decided_by_id, decided_on, decision, rationale, created_at, updated_at,
                                      created_by_id, updated_by_id)
     SELECT pg_temp.uid('management-decision-' || e.i || '-' || e.s), e.child_id, e.manager_id, d.on_, ($1::text[])[1 + k.k],
            ($2::text[])[1 + k.k], ${stamp('d.on_')}, ${stamp('d.on_')}, e.manager_id, e.manager_id
     FROM cw_ep e
     CROSS JOIN LATERAL (SELECT least($3::date, coalesce(e.a_auth, e.t0 + 2)) AS on_) d
     CROSS JOIN LATERAL (SELECT CASE WHEN e.cp_start IS NOT NULL THEN 4 WHEN e.a_state = 'IN_PROGRESS' AND e.a_due < $3::date THEN 2
                                     ELSE (e.i + e.s) % 2 END AS k) k
     WHERE e.open AND (e.y % 3 = 0 OR e.demo_k IS NOT NULL)`,
    [MANAGEMENT_DECISIONS.map((m) => m[0]), MANAGEMENT_DECISIONS.map((m) => m[1]), anchor],
  );
}

/** Surnames for the partner-agency professionals named in strategy discussions and conferences (synthetic). */
const SURNAMES_FOR_AGENCIES = [
  'Example', 'Sample', 'Specimen', 'Placeholder', 'Demo', 'Fictional', 'Notional', 'Prototype', 'Template', 'Madeup',
];
