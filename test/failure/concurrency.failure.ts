import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { startServer, Running } from '../../src/server';
import { createDataSource } from '../../src/shared/db/data-source';
import { loadOrCreateDevKey, signDevToken } from '../../src/modules/identity/auth';
import { testConfig } from '../api';
import { Council, factories, givenCouncil } from '../factories';
import { earlyHelpFactories } from '../early-help-factories';
import { testDatabaseUrl } from '../setup/database';

/**
 * (d) Concurrent edits of the same records, over HTTP: for every pair of updates sent at once with the same
 * expectedVersion, one wins and the other is refused STALE_VERSION; nothing is lost or written twice.
 * (e) A provider's system loses the response to a submission it sent (the connection drops after the request went
 * out: see Loss), then retries with the same idempotency key, several times at once: one record and one write audit
 * row per submission, every retry answered with that record (replayed, unless the lost request never ran).
 */

type As = { id: string; email: string };

let server: Running;
let fixtures: DataSource;
let c: Council;
let tokenOf: (as: As) => Promise<string>;

interface Answer {
  status: number;
  body: any;
  requestId: string;
}

async function gql(query: string, variables: Record<string, unknown>, as: As, requestId = randomUUID()): Promise<Answer> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenOf(as)}`, 'x-request-id': requestId },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.json(), requestId };
}

/**
 * How the answer is lost. `inTransaction`: the connection drops while the server is inside the submission's transaction
 * (held there by a lock), so the server has read everything and commits after the client has gone. `onResponse`: the
 * answer starts to arrive and is dropped unread. `afterSend`: the connection drops as soon as the request is out; the
 * server may then not have read it at all (it discards it) or may still be running it when the retries arrive.
 */
type Loss = 'inTransaction' | 'onResponse' | 'afterSend';

/** Sends a GraphQL request whose answer the client never reads; `drop()` cuts the connection (for `inTransaction`). */
function sendUnanswered(query: string, variables: Record<string, unknown>, token: string, requestId: string, loss: Loss) {
  const body = JSON.stringify({ query, variables });
  const req = http.request(`${server.url}/graphql`, {
    method: 'POST',
    agent: false,
    headers: {
      'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}`,
      'x-request-id': requestId,
    },
  });
  const gone = new Promise<void>((resolve) => {
    req.on('error', () => resolve()); // the socket this side destroyed
    req.on('close', () => resolve());
  });
  if (loss === 'afterSend') req.on('finish', () => req.destroy());
  if (loss === 'onResponse') req.on('response', (res) => res.destroy());
  req.end(body);
  return { gone, drop: () => req.destroy() };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Holds a lock on `table` from a separate client until `release()` (which rolls back). */
async function lockTable(table: 'idempotency_key', mode: 'SHARE') {
  const locker = new Client({ connectionString: testDatabaseUrl(), application_name: 'haven-f2-locker' });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query(`LOCK TABLE ${table} IN ${mode} MODE`);
  return {
    release: async () => {
      await locker.query('ROLLBACK');
      await locker.end();
    },
  };
}

/** Waits until `n` of the API's statements (application_name haven) are waiting on a lock. */
async function waitForLockWaiters(n: number) {
  await until(`${n} requests waiting on the lock`, async () => {
    const [{ waiting }] = await fixtures.query(
      `SELECT count(*)::int AS waiting FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'haven' AND wait_event_type = 'Lock'`,
    );
    return waiting >= n ? true : undefined;
  });
}

/** Today in England and a date `days` before it (YYYY-MM-DD): the server's clock is the real one. */
const londonToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
const daysBefore = (days: number) => {
  const d = new Date(`${londonToday()}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
};

beforeAll(async () => {
  fixtures = createDataSource({ url: testDatabaseUrl(), poolMax: 4, applicationName: 'haven-f2-fixtures' });
  await fixtures.initialize();
  const given = factories(fixtures);
  await given.reset();
  c = await givenCouncil(given);
  // The pool wait is not under test here: a generous one keeps a loaded machine from turning queueing into 503s.
  const config = testConfig({ PORT: '0', LOG_LEVEL: 'silent', DB_POOL_MAX: '10', DB_POOL_ACQUIRE_TIMEOUT_MS: '15000' });
  const key = await loadOrCreateDevKey(config.dataDir);
  tokenOf = (as) => signDevToken(key, config.oidcAudience, as, '10m');
  server = await startServer(config);
});

afterAll(async () => {
  await server?.stop();
  await fixtures?.destroy();
});

const UPDATE_CHILD = `mutation UpdateChild($input: UpdateChildInput!) { updateChild(input: $input) { id firstName version } }`;

describe('concurrent edits of the same records (d)', () => {
  const RECORDS = 100;
  const ROUNDS = 10;

  it(`${RECORDS} records × ${ROUNDS} rounds: each pair with the same expectedVersion has exactly one winner; no update is lost`, async () => {
    const given = factories(fixtures);
    const children: { id: string; version: number }[] = [];
    for (let i = 0; i < RECORDS; i++) children.push(await given.child({ teamId: c.teamA.id, firstName: 'Start' }));
    // Two practitioners of the team edit the same children.
    const editors = [c.socialWorker, c.teamManager];
    const pairs: { childId: string; round: number; winner: Answer & { name: string }; loser: Answer }[] = [];
    let lostUpdates = 0;
    let wrongVersions = 0;
    const started = performance.now();

    for (let round = 1; round <= ROUNDS; round++) {
      const results = await Promise.all(
        children.map(async (ch) => {
          const expectedVersion = ch.version;
          const names = [`A${round}`, `B${round}`];
          const [a, b] = await Promise.all(
            names.map((firstName, k) => gql(UPDATE_CHILD, { input: { id: ch.id, expectedVersion, firstName } }, editors[k])),
          );
          return { ch, names, answers: [a, b] };
        }),
      );
      const stored = new Map<string, { first_name: string; version: number }>(
        (await fixtures.query(`SELECT id, first_name, version FROM child WHERE id = ANY($1::uuid[])`, [children.map((ch) => ch.id)])).map(
          (r: any) => [r.id, r],
        ),
      );
      for (const { ch, names, answers } of results) {
        for (const a of answers) expect(a.status).toBe(200);
        const won = answers.map((a) => !a.body.errors);
        // Exactly one succeeds; the other is refused STALE_VERSION with nothing else in its answer.
        expect(won.filter(Boolean)).toHaveLength(1);
        const w = won.indexOf(true);
        const winner = answers[w];
        const loser = answers[1 - w];
        expect(loser.body.data).toBeNull();
        expect(loser.body.errors.map((e: any) => e.extensions.code)).toEqual(['STALE_VERSION']);
        expect(winner.body.data.updateChild).toEqual({ id: ch.id, firstName: names[w], version: ch.version + 1 });
        // The stored value is the winner's and the version went up by exactly one.
        const row = stored.get(ch.id)!;
        if (row.first_name !== names[w]) lostUpdates += 1;
        if (row.version !== ch.version + 1) wrongVersions += 1;
        pairs.push({ childId: ch.id, round, winner: { ...winner, name: names[w] }, loser });
        ch.version += 1;
      }
    }
    const durationMs = performance.now() - started;

    // Audit: one child.updated row per pair, written by the winning request (its request id); none for the loser.
    const audit = await fixtures.query(
      `SELECT request_id, entity_id, count(*)::int AS n FROM audit_entry WHERE action = 'child.updated' GROUP BY request_id, entity_id`,
    );
    const byRequest = new Map<string, { entity_id: string; n: number }>(audit.map((r: any) => [r.request_id, r]));
    let auditMismatches = 0;
    for (const p of pairs) {
      const mine = byRequest.get(p.winner.requestId);
      if (!mine || mine.n !== 1 || mine.entity_id !== p.childId || byRequest.has(p.loser.requestId)) auditMismatches += 1;
    }
    const totalAudit = audit.reduce((sum: number, r: any) => sum + r.n, 0);
    const finalVersions = await fixtures.query(`SELECT version FROM child WHERE id = ANY($1::uuid[])`, [children.map((ch) => ch.id)]);

    const stale = pairs.filter((p) => p.loser.body.errors?.[0]?.extensions?.code === 'STALE_VERSION').length;
    console.log(
      [
        'concurrent edits (d):',
        `  pairs ${pairs.length} (${RECORDS} records × ${ROUNDS} rounds, two accounts, same expectedVersion, sent at once over HTTP)`,
        `  winners ${pairs.length}, stale refusals ${stale}, lost updates ${lostUpdates}, version not +1 ${wrongVersions}`,
        `  audit rows ${totalAudit} (mismatched ${auditMismatches}), duration ${(durationMs / 1000).toFixed(1)} s ` +
          `(${Math.round((pairs.length * 2) / (durationMs / 1000))} updates/s)`,
      ].join('\n'),
    );
    expect(pairs).toHaveLength(RECORDS * ROUNDS);
    expect(stale).toBe(RECORDS * ROUNDS);
    expect(lostUpdates).toBe(0);
    expect(wrongVersions).toBe(0);
    expect(auditMismatches).toBe(0);
    expect(totalAudit).toBe(RECORDS * ROUNDS);
    expect(finalVersions.map((r: any) => r.version)).toEqual(Array(RECORDS).fill(1 + ROUNDS));
  });
});

describe('a provider retries after a lost response (e)', () => {
  const SUBMISSIONS = 48;
  const RETRIES_AT_ONCE = 3;

  it(`${SUBMISSIONS} submissions of four kinds, each answer lost, then retried ${RETRIES_AT_ONCE} times at once: one record each`, async () => {
    const eh = earlyHelpFactories(fixtures);
    const given = factories(fixtures);
    const contract = await eh.contract(c.provider.id, { capacity: 200 });
    await eh.agreement(c.provider.id);
    const requestedOn = daysBefore(30);
    const recent = daysBefore(3);

    /** Each kind: the mutation, its input for an episode, the field with the record, and where the one record lives. */
    const kinds = {
      assessment: {
        status: 'IN_WORK' as const,
        mutation: `mutation Submit($input: SubmitEarlyHelpAssessmentInput!) { submitEarlyHelpAssessment(input: $input) { replayed assessment { id version } } }`,
        field: 'submitEarlyHelpAssessment', record: 'assessment', action: 'earlyHelpAssessment.submitted',
        input: (e: Episode, key: string) => ({
          episodeId: e.id, idempotencyKey: key, reason: 'Attendance has fallen and mother asked for help',
          needs: [{ need: 'EDUCATION', description: 'Attendance 78%' }], strengths: 'Close family', livedExperience: 'Late most mornings',
          childVoice: 'I want to see my friends', analysis: 'Routines first', startedOn: daysBefore(25), completedOn: recent,
        }),
        count: (e: Episode) => fixtures.query(`SELECT count(*)::int AS n FROM early_help_assessment WHERE episode_id = $1`, [e.id]),
      },
      meeting: {
        status: 'IN_WORK' as const,
        mutation: `mutation Meet($input: RecordTeamAroundFamilyMeetingInput!) { recordTeamAroundFamilyMeeting(input: $input) { replayed meeting { id } } }`,
        field: 'recordTeamAroundFamilyMeeting', record: 'meeting', action: 'teamAroundFamilyMeeting.recorded',
        input: (e: Episode, key: string) => ({
          episodeId: e.id, idempotencyKey: key, heldOn: recent, attendees: [{ name: 'Ms Head', agency: 'Oakfield Primary' }],
          familyPresent: true, decisions: 'Breakfast club place offered',
        }),
        count: (e: Episode) => fixtures.query(`SELECT count(*)::int AS n FROM team_around_family_meeting WHERE episode_id = $1`, [e.id]),
      },
      plan: {
        status: 'IN_WORK' as const,
        mutation: `mutation Plan($input: StartFamilyPlanInput!) { startFamilyPlan(input: $input) { replayed plan { id version } } }`,
        field: 'startFamilyPlan', record: 'plan', action: 'plan.started',
        input: (e: Episode, key: string) => ({
          episodeId: e.id, idempotencyKey: key, startDate: recent,
          content: {
            outcomes: [{ needToChange: 'Attendance above 95%', measure: 'Attendance report', byWhen: '2099-04-01' }],
            actions: [],
            contingency: 'If attendance does not improve the TAF will consider an education welfare referral.',
            familySummary: 'We will help mornings go better so that getting to school is easier.',
          },
        }),
        count: (e: Episode) => fixtures.query(`SELECT count(*)::int AS n FROM plan WHERE early_help_episode_id = $1`, [e.id]),
      },
      acceptance: {
        status: 'OFFERED' as const,
        mutation: `mutation Accept($input: AcceptEarlyHelpReferralInput!) { acceptEarlyHelpReferral(input: $input) { replayed referral { id status version } } }`,
        field: 'acceptEarlyHelpReferral', record: 'referral', action: 'earlyHelpReferral.accepted',
        input: (e: Episode, key: string) => ({
          id: e.referralId, expectedVersion: e.referralVersion, idempotencyKey: key, leadPractitionerId: c.providerPractitioner.id,
          startDate: recent,
        }),
        count: (e: Episode) =>
          fixtures.query(`SELECT count(*)::int AS n FROM early_help_referral WHERE episode_id = $1 AND status = 'ACCEPTED' AND version = 2`, [
            e.id,
          ]),
      },
    };
    type Kind = keyof typeof kinds;
    type Episode = Awaited<ReturnType<typeof eh.episode>>;
    const kindNames = Object.keys(kinds) as Kind[];
    // The provider's system sends as its manager (who may accept referrals); retries come from the same organisation.
    const sender = c.providerManager;
    const token = await tokenOf(sender);

    const losses: Loss[] = ['inTransaction', 'onResponse', 'afterSend'];
    const BATCH = 8; // at most the pool (10) held inside transactions at once
    const cases: { kind: Kind; episode: Episode; key: string; requestId: string; loss: Loss }[] = [];
    for (let i = 0; i < SUBMISSIONS; i++) {
      const kind = kindNames[i % kindNames.length];
      const child = await given.child();
      const episode = await eh.episode({
        childIds: [child.id], status: kinds[kind].status, requestedOn, providerId: c.provider.id, contractId: contract.id,
        leadId: c.providerPractitioner.id,
      });
      const loss = losses[Math.floor(i / BATCH) % losses.length];
      cases.push({ kind, episode, key: randomUUID(), requestId: randomUUID(), loss });
    }

    const started = performance.now();
    const figures = { lost: 0, committedFirst: 0, writtenByRetry: 0, retries: 0, replayed: 0, records: 0, writeAuditRows: 0 };
    const replayedByKind = Object.fromEntries(kindNames.map((k) => [k, 0])) as Record<Kind, number>;
    const count = (loss: Loss) => cases.filter((x) => x.loss === loss).length;
    const byKind = Object.fromEntries(kindNames.map((k) => [k, 0])) as Record<Kind, number>;
    const scope = `provider:${c.provider.id}`;
    const resultOf = async (key: string): Promise<string | undefined> =>
      (await fixtures.query(`SELECT result_id FROM idempotency_key WHERE scope = $1 AND key = $2`, [scope, key]))[0]?.result_id ?? undefined;

    for (let start = 0; start < cases.length; start += BATCH) {
      const batch = cases.slice(start, start + BATCH);
      const loss = batch[0].loss;
      // inTransaction: a lock on idempotency_key (SHARE: reads go on, the submission's INSERT waits) holds every request
      // of the batch inside its transaction until the connections have been cut.
      const locker = loss === 'inTransaction' ? await lockTable('idempotency_key', 'SHARE') : undefined;
      const sent = batch.map((s) => sendUnanswered(kinds[s.kind].mutation, { input: kinds[s.kind].input(s.episode, s.key) }, token, s.requestId, loss));
      if (locker) {
        await waitForLockWaiters(batch.length);
        for (const x of sent) x.drop();
      }
      await Promise.all(sent.map((x) => x.gone));
      figures.lost += batch.length;
      await locker?.release();

      await Promise.all(
        batch.map(async (s) => {
          const kind = kinds[s.kind];
          const input = kind.input(s.episode, s.key);
          // The server carries on without the client: wait until the submission is committed (its key has a result).
          // After `afterSend` the server may have discarded the request unread, so the retries may be the first write.
          const committedFirst =
            loss === 'afterSend'
              ? (await resultOf(s.key)) !== undefined
              : await until(`the ${s.kind} submission to commit`, () => resultOf(s.key))
                  .then(() => true)
                  .catch(async (err) => {
                    // Say why (the test fails either way): what the same request answers when it is not lost.
                    const again = await gql(kind.mutation, { input }, sender);
                    throw new Error(`${(err as Error).message}; sent again it answers ${JSON.stringify(again.body.errors ?? again.body.data)}`);
                  });
          // The provider's system retries, more than once at the same moment.
          const retries = await Promise.all(Array.from({ length: RETRIES_AT_ONCE }, () => gql(kind.mutation, { input }, sender)));
          const firstId = await resultOf(s.key);
          let fresh = 0;
          for (const r of retries) {
            figures.retries += 1;
            expect(r.status).toBe(200);
            expect(r.body.errors).toBeUndefined();
            const payload = r.body.data[kind.field];
            expect(payload[kind.record].id).toBe(firstId);
            if (payload.replayed) {
              figures.replayed += 1;
              replayedByKind[s.kind] += 1;
            } else fresh += 1;
          }
          // Exactly one record, with one audit row; every retry is a replay unless the lost request never ran, when
          // exactly one retry wrote it.
          const [{ n }] = await kind.count(s.episode);
          expect(n).toBe(1);
          figures.records += n;
          const audit = await fixtures.query(`SELECT request_id FROM audit_entry WHERE action = $1 AND entity_id = $2`, [kind.action, firstId]);
          expect(audit).toHaveLength(1);
          figures.writeAuditRows += audit.length;
          const writtenByLost = audit[0].request_id === s.requestId;
          if (committedFirst) expect(writtenByLost).toBe(true);
          expect(fresh).toBe(writtenByLost ? 0 : 1);
          if (writtenByLost) figures.committedFirst += 1;
          else figures.writtenByRetry += 1;
          byKind[s.kind] += 1;
        }),
      );
    }
    const durationMs = performance.now() - started;
    const [{ keys }] = await fixtures.query(`SELECT count(*)::int AS keys FROM idempotency_key WHERE scope = $1`, [`provider:${c.provider.id}`]);
    expect(keys).toBe(SUBMISSIONS);
    // The work submissions audit each replay (a read of the record) as submission.replayed: one per replayed retry,
    // plus one per lost `afterSend` request that the server only ran after a retry had written the record.
    const audited = ['assessment', 'meeting', 'plan'] as const;
    const [{ replays, lateLost }] = await fixtures.query(
      `SELECT count(*) FILTER (WHERE request_id <> ALL($2::text[]))::int AS replays,
              count(*) FILTER (WHERE request_id = ANY($2::text[]))::int AS "lateLost"
         FROM audit_entry WHERE action = 'submission.replayed' AND fields && $1::text[]`,
      [audited.map((k) => kinds[k].field), cases.map((x) => x.requestId)],
    );
    console.log(
      [
        'lost responses and retries (e):',
        `  submissions ${SUBMISSIONS} (${kindNames.map((k) => `${k} ${byKind[k]}`).join(', ')}); answers lost ${figures.lost}: ` +
          losses.map((l) => `${l} ${count(l)}`).join(', '),
        `  written by the lost request ${figures.committedFirst}; by a retry ${figures.writtenByRetry} (afterSend: the server had not run it yet)`,
        `  retries ${figures.retries} (${RETRIES_AT_ONCE} at once per submission): replayed ${figures.replayed}, ` +
          `first writes ${figures.retries - figures.replayed}, replay audit rows ${replays} (of ${audited.map((k) => replayedByKind[k]).reduce((a, b) => a + b)} replayed work submissions), ` +
          `lost afterSend requests the server ran after a retry (replays) ${lateLost}`,
        `  records ${figures.records} (one per submission), idempotency keys ${keys}, write audit rows ${figures.writeAuditRows}, ` +
          `duration ${(durationMs / 1000).toFixed(1)} s`,
      ].join('\n'),
    );
    expect(figures.records).toBe(SUBMISSIONS);
    expect(replays).toBe(audited.map((k) => replayedByKind[k]).reduce((a, b) => a + b));
    expect(figures.committedFirst).toBeGreaterThanOrEqual(count('inTransaction') + count('onResponse'));
  });
});
