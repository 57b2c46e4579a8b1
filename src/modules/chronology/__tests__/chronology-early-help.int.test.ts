import { codeOf, TestApi } from '../../../../test/api';
import type { Council, Suite } from '../../../../test/factories';
import { EarlyHelpSuite, useEarlyHelpSuite } from '../../../../test/early-help-factories';

const CHRONOLOGY = `query($id: ID!, $first: Int!) { chronology(childId: $id, first: $first) {
  totalCount edges { node { id occurredAt kind recordId summary recordedBy { id } } } } }`;

const suite: EarlyHelpSuite = useEarlyHelpSuite();
let api: TestApi;
let given: Suite['given'];
let c: Council;
beforeEach(() => {
  ({ api, given, c } = suite);
});

/** Words only the free-text notes contain: no chronology summary may repeat them. */
const SECRET = 'Confidentialnote';

/**
 * A family's early help from request to closure (set up by SQL): declined by Provider Two, accepted by Provider One,
 * a safeguarding concern, an assessment, `meetings` team-around-the-family meetings, closed with needs met.
 */
async function earlyHelpHistory(meetings = 1) {
  const [child, sibling] = [await given.child({ teamId: c.teamA.id }), await given.child({ teamId: c.teamA.id })];
  const episode = await suite.eh.episode({
    childIds: [child.id, sibling.id], status: 'CLOSED', providerId: c.provider.id, contractId: suite.p.contractOne.id,
    leadId: c.providerPractitioner.id, requestedOn: '2026-01-05',
  });
  await api.db.query(`UPDATE early_help_episode SET closure_summary = $2, updated_by_id = $3 WHERE id = $1`, [
    episode.id, `${SECRET} closure summary`, c.earlyHelp.id,
  ]);
  const [declined] = await api.db.query(
    `INSERT INTO early_help_referral (episode_id, provider_id, contract_id, status, offered_at, commissioning_note, decided_at, decided_by_id,
                                      decline_reason, created_by_id)
     VALUES ($1, $2, $3, 'DECLINED', '2026-01-06T10:00:00Z', $4, '2026-01-07T10:00:00Z', $5, $4, $6) RETURNING id`,
    [episode.id, suite.p.providerTwo.id, suite.p.contractTwo.id, `${SECRET} decline`, suite.p.twoManager.id, c.earlyHelp.id],
  );
  const [concern] = await api.db.query(
    `INSERT INTO early_help_concern (episode_id, raised_at, safeguarding, description, needs_added, created_by_id)
     VALUES ($1, '2026-01-08T09:00:00Z', true, $2, '{DOMESTIC_ABUSE}', $3) RETURNING id`,
    [episode.id, `${SECRET} concern`, c.earlyHelp.id],
  );
  const [assessment] = await api.db.query(
    `INSERT INTO early_help_assessment (episode_id, reason, needs, strengths, lived_experience, child_voice, analysis, started_on,
                                        completed_on, completed_by_provider_id, updated_by_id)
     VALUES ($1, $2, '[]', $2, $2, $2, $2, '2026-01-12', '2026-01-30', $3, $4) RETURNING id`,
    [episode.id, `${SECRET} assessment`, c.provider.id, c.providerPractitioner.id],
  );
  await api.db.query(
    `INSERT INTO team_around_family_meeting (episode_id, held_on, attendees, family_present, decisions, created_by_id)
     SELECT $1, DATE '2026-02-01' + g, '[]', g % 2 = 0, $2, $3 FROM generate_series(1, $4) g`,
    [episode.id, `${SECRET} decisions`, c.providerPractitioner.id, meetings],
  );
  const [accepted] = await api.db.query(`SELECT id FROM early_help_referral WHERE episode_id = $1 AND status = 'CLOSED'`, [episode.id]);
  return { child, sibling, episode, declined, accepted, concern, assessment };
}

type Event = { id: string; kind: string; recordId: string; summary: string; recordedBy: { id: string } | null };

describe('early help in the chronology', () => {
  it("shows each subject child's early help from request to closure, with codes and dates but no free-text notes", async () => {
    const h = await earlyHelpHistory();
    for (const childId of [h.child.id, h.sibling.id]) {
      const r = await api.run(CHRONOLOGY, { id: childId, first: 100 }, c.socialWorker);
      expect(r.errors).toBeUndefined();
      const events: Event[] = r.data.chronology.edges.map((e: { node: Event }) => e.node);
      const byId = Object.fromEntries(events.map((e) => [e.id, e]));
      expect(byId[`EARLY_HELP_REQUESTED:${h.episode.id}`].summary).toBe('Early help requested (needs: education, health, financial stability)');
      expect(byId[`EARLY_HELP_COMMISSIONED:${h.declined.id}`].summary).toBe('Early help commissioned from Provider Two');
      expect(byId[`EARLY_HELP_DECLINED:${h.declined.id}`]).toMatchObject({
        summary: 'Early help declined by Provider Two', recordedBy: { id: suite.p.twoManager.id },
      });
      expect(byId[`EARLY_HELP_COMMISSIONED:${h.accepted.id}`].summary).toBe('Early help commissioned from Provider One');
      expect(byId[`EARLY_HELP_ACCEPTED:${h.accepted.id}`].summary).toBe('Early help accepted by Provider One');
      expect(byId[`EARLY_HELP_CONCERN:${h.concern.id}`].summary).toBe('Safeguarding concern raised (needs added: domestic abuse)');
      expect(byId[`EARLY_HELP_ASSESSMENT:${h.assessment.id}`]).toMatchObject({
        summary: 'Early help assessment completed (started 2026-01-12)', recordedBy: { id: c.providerPractitioner.id },
      });
      expect(events.filter((e) => e.kind === 'TEAM_AROUND_FAMILY').map((e) => e.summary)).toEqual(['Team around the family meeting (family not present)']);
      expect(byId[`EARLY_HELP_CLOSED:${h.episode.id}`]).toMatchObject({ summary: 'Early help closed: needs met', recordedBy: { id: c.earlyHelp.id } });
      expect(events.every((e) => !e.summary.includes(SECRET))).toBe(true);
      expect(events.some((e) => e.kind === 'EARLY_HELP_DECLINED' && e.id.endsWith(h.accepted.id))).toBe(false);
    }
  });

  it('stays council-only: provider staff get FORBIDDEN even for their own family, with nothing read', async () => {
    const h = await earlyHelpHistory();
    await api.db.query(`UPDATE early_help_referral SET status = 'ACCEPTED', closed_on = NULL WHERE id = $1`, [h.accepted.id]);
    await api.db.query(`UPDATE early_help_episode SET status = 'IN_WORK', closed_on = NULL, outcome = NULL WHERE id = $1`, [h.episode.id]);
    for (const who of [c.providerPractitioner, c.providerManager]) {
      expect(codeOf(await api.run(CHRONOLOGY, { id: h.child.id, first: 10 }, who))).toBe('FORBIDDEN');
    }
    expect(await given.auditRows('child.viewed')).toHaveLength(0);
  });

  it('issues the same number of SQL statements for a page of 5 and of 40 early help events', async () => {
    const h = await earlyHelpHistory(45);
    const counts: number[] = [];
    for (const first of [5, 40]) {
      api.resetStatements();
      const r = await api.run(CHRONOLOGY, { id: h.child.id, first }, c.socialWorker);
      expect(r.data.chronology.edges).toHaveLength(first);
      counts.push(api.statements());
    }
    expect(counts[1]).toBe(counts[0]);
  });
});
