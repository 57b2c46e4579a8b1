import { randomUUID } from 'node:crypto';
import { codeOf, GqlResult } from '../../../../test/api';
import { useEarlyHelpSuite } from '../../../../test/early-help-factories';
import { SHAREABLE_FIELDS, SUBMISSIONS } from '../agreement';

const PROVIDER_FIELDS = `id name version contracts { id providerId service startsOn endsOn capacity version }
  currentAgreement { id providerId reference startsOn endsOn visibleFields submissions version }
  capacity { capacity inWork offered available }`;
const PROVIDER = `query($id: ID!) { provider(id: $id) { ${PROVIDER_FIELDS} } }`;
const PROVIDERS = `query($first: Int, $after: String) { providers(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name } } } }`;
const CREATE = `mutation($input: CreateProviderInput!) { createProvider(input: $input) { id name version } }`;
const ADD_CONTRACT = `mutation($input: AddProviderContractInput!) { addProviderContract(input: $input) {
  id providerId service startsOn endsOn capacity version } }`;
const UPDATE_CONTRACT = `mutation($input: UpdateProviderContractInput!) { updateProviderContract(input: $input) {
  id endsOn capacity version } }`;
const SET_AGREEMENT = `mutation($input: SetDataSharingAgreementInput!) { setDataSharingAgreement(input: $input) {
  id providerId reference startsOn endsOn visibleFields submissions version } }`;
const CREATE_ACCOUNT = `mutation($input: CreateProviderAccountInput!) { createProviderAccount(input: $input) {
  id email displayName providerId role system version } }`;

const s = useEarlyHelpSuite();
const fieldsOf = (r: GqlResult) => [...new Set((r.errors?.[0].extensions?.fields ?? []).map((f) => f.field))].sort();

async function offeredAndInWork() {
  const a = await s.given.child();
  const b = await s.given.child();
  await s.eh.episode({ childIds: [a.id], status: 'OFFERED', providerId: s.c.provider.id, contractId: s.p.contractOne.id });
  await s.eh.episode({
    childIds: [b.id], status: 'IN_WORK', providerId: s.c.provider.id, contractId: s.p.contractOne.id, leadId: s.c.providerPractitioner.id,
  });
  return { a, b };
}

describe('provider and providers', () => {
  it('refuse an anonymous caller and roles without provider:read', async () => {
    expect(codeOf(await s.api.run(PROVIDER, { id: s.c.provider.id }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await s.api.run(PROVIDERS, {}, s.c.analyst))).toBe('FORBIDDEN');
    expect(codeOf(await s.api.run(PROVIDER, { id: s.c.provider.id }, s.c.governance))).toBe('FORBIDDEN');
  });

  it('show the council a provider with its contracts, agreement in force and capacity used', async () => {
    await offeredAndInWork();
    // An expired contract does not count towards capacity; a newer agreement in force replaces the older one.
    await s.eh.contract(s.c.provider.id, { capacity: 50, startsOn: '2019-01-01', endsOn: '2019-12-31' });
    await s.eh.contract(s.c.provider.id, { capacity: 5, startsOn: '2024-01-01', endsOn: '2034-12-31' });
    const [newer] = await s.api.db.query(
      `INSERT INTO data_sharing_agreement (provider_id, reference, starts_on, visible_fields, submissions)
       VALUES ($1, 'DSA-2024', '2024-01-01', '{Child.id}', '{}') RETURNING id`,
      [s.c.provider.id],
    );
    const r = await s.api.run(PROVIDER, { id: s.c.provider.id }, s.c.socialWorker);
    expect(r.errors).toBeUndefined();
    const p = r.data.provider;
    expect(p.name).toBe('Provider One');
    expect(p.contracts.map((c: { startsOn: string }) => c.startsOn)).toEqual(['2024-01-01', '2020-01-01', '2019-01-01']);
    expect(p.currentAgreement).toMatchObject({ id: newer.id, reference: 'DSA-2024', visibleFields: ['Child.id'], submissions: [] });
    expect(p.capacity).toEqual({ capacity: 15, inWork: 1, offered: 1, available: 13 });
  });

  it("show provider staff their own organisation only: another provider is NOT_FOUND (audited) and not listed", async () => {
    const own = await s.api.run(PROVIDER, { id: s.c.provider.id }, s.c.providerPractitioner);
    expect(own.errors).toBeUndefined();
    expect(own.data.provider.id).toBe(s.c.provider.id);
    const other = await s.api.run(PROVIDER, { id: s.p.providerTwo.id }, s.c.providerPractitioner);
    const missing = await s.api.run(PROVIDER, { id: randomUUID() }, s.c.providerPractitioner);
    expect(codeOf(other)).toBe('NOT_FOUND');
    expect(other.errors?.[0].message).toBe(missing.errors?.[0].message);
    expect((await s.given.auditRows('provider.viewed', s.p.providerTwo.id)).map((a) => a.result)).toEqual(['DENIED']);
    const list = await s.api.run(PROVIDERS, {}, s.c.providerManager);
    expect(list.data.providers.totalCount).toBe(1);
    expect(list.data.providers.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([s.c.provider.id]);
  });

  it('list every provider to the council by name, page by page', async () => {
    await s.given.provider('Acorn Family Support');
    const first = await s.api.run(PROVIDERS, { first: 2 }, s.c.earlyHelp);
    expect(first.errors).toBeUndefined();
    expect(first.data.providers.totalCount).toBe(3);
    expect(first.data.providers.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['Acorn Family Support', 'Provider One']);
    expect(first.data.providers.pageInfo.hasNextPage).toBe(true);
    const next = await s.api.run(PROVIDERS, { first: 2, after: first.data.providers.pageInfo.endCursor }, s.c.earlyHelp);
    expect(next.data.providers.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['Provider Two']);
    expect(next.data.providers.pageInfo.hasNextPage).toBe(false);
    expect(codeOf(await s.api.run(PROVIDERS, { after: 'not-a-cursor' }, s.c.earlyHelp))).toBe('BAD_USER_INPUT');
  });
});

describe('createProvider', () => {
  it('refuses an anonymous caller and roles without provider:manage, writing nothing', async () => {
    expect(codeOf(await s.api.run(CREATE, { input: { name: 'New Provider' } }))).toBe('UNAUTHENTICATED');
    for (const who of [s.c.earlyHelp, s.c.serviceManager, s.c.providerManager]) {
      expect(codeOf(await s.api.run(CREATE, { input: { name: 'New Provider' } }, who))).toBe('FORBIDDEN');
    }
    expect(await s.given.count('provider')).toBe(2);
    expect(await s.given.auditRows('provider.created')).toHaveLength(0);
  });

  it('refuses a blank or taken name, writing nothing', async () => {
    const blank = await s.api.run(CREATE, { input: { name: '   ' } }, s.c.admin);
    expect(codeOf(blank)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(blank)).toEqual(['name']);
    const taken = await s.api.run(CREATE, { input: { name: 'Provider Two' } }, s.c.admin);
    expect(codeOf(taken)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(taken)).toEqual(['name']);
    expect(await s.given.count('provider')).toBe(2);
    expect(await s.given.auditRows('provider.created')).toHaveLength(0);
  });

  it('creates a provider, audited', async () => {
    const r = await s.api.run(CREATE, { input: { name: 'Harbour Early Help' } }, s.c.admin);
    expect(r.errors).toBeUndefined();
    expect(r.data.createProvider).toMatchObject({ name: 'Harbour Early Help', version: 1 });
    const audit = await s.given.auditRows('provider.created', r.data.createProvider.id);
    expect(audit).toMatchObject([{ actor_id: s.c.admin.id, child_id: null, fields: ['name'], result: 'ALLOWED' }]);
  });
});

describe('addProviderContract and updateProviderContract', () => {
  const contractInput = (providerId: string, extra: Record<string, unknown> = {}) => ({
    providerId, service: 'Targeted family support', startsOn: '2026-04-01', endsOn: '2029-03-31', capacity: 40, ...extra,
  });

  it('refuse roles without provider:manage and an unknown provider, writing nothing', async () => {
    expect(codeOf(await s.api.run(ADD_CONTRACT, { input: contractInput(s.c.provider.id) }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await s.api.run(ADD_CONTRACT, { input: contractInput(s.c.provider.id) }, s.c.earlyHelp))).toBe('FORBIDDEN');
    const missing = randomUUID();
    expect(codeOf(await s.api.run(ADD_CONTRACT, { input: contractInput(missing) }, s.c.admin))).toBe('NOT_FOUND');
    expect((await s.given.auditRows('provider.changeDenied', missing)).map((a) => a.result)).toEqual(['DENIED']);
    expect(await s.given.count('provider_contract')).toBe(2);
  });

  it.each([
    ['no capacity', { capacity: 0 }, ['capacity']],
    ['an end before the start', { endsOn: '2026-03-31' }, ['endsOn']],
    ['a blank service', { service: ' ' }, ['service']],
  ])('refuses %s, writing nothing', async (_name, extra, fields) => {
    const r = await s.api.run(ADD_CONTRACT, { input: contractInput(s.c.provider.id, extra) }, s.c.admin);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(fields);
    expect(await s.given.count('provider_contract')).toBe(2);
  });

  it('adds a contract, then changes its capacity and end at the expected version, each audited', async () => {
    const added = await s.api.run(ADD_CONTRACT, { input: contractInput(s.c.provider.id) }, s.c.admin);
    expect(added.errors).toBeUndefined();
    const contract = added.data.addProviderContract;
    expect(contract).toMatchObject({ providerId: s.c.provider.id, capacity: 40, startsOn: '2026-04-01', version: 1 });
    expect(await s.given.auditRows('providerContract.added', contract.id)).toMatchObject([{ actor_id: s.c.admin.id, result: 'ALLOWED' }]);

    const input = { id: contract.id, expectedVersion: 1, capacity: 45, endsOn: '2030-03-31' };
    expect(codeOf(await s.api.run(UPDATE_CONTRACT, { input }, s.c.serviceManager))).toBe('FORBIDDEN');
    const early = await s.api.run(UPDATE_CONTRACT, { input: { ...input, endsOn: '2026-01-01' } }, s.c.admin);
    expect(fieldsOf(early)).toEqual(['endsOn']);
    const nothing = await s.api.run(UPDATE_CONTRACT, { input: { id: contract.id, expectedVersion: 1 } }, s.c.admin);
    expect(codeOf(nothing)).toBe('BAD_USER_INPUT');
    expect(codeOf(await s.api.run(UPDATE_CONTRACT, { input: { ...input, id: randomUUID() } }, s.c.admin))).toBe('NOT_FOUND');

    const updated = await s.api.run(UPDATE_CONTRACT, { input }, s.c.admin);
    expect(updated.errors).toBeUndefined();
    expect(updated.data.updateProviderContract).toEqual({ id: contract.id, endsOn: '2030-03-31', capacity: 45, version: 2 });
    expect((await s.given.auditRows('providerContract.updated', contract.id))[0].fields.sort()).toEqual(['capacity', 'endsOn']);

    const stale = await s.api.run(UPDATE_CONTRACT, { input: { ...input, capacity: 1 } }, s.c.admin);
    expect(codeOf(stale)).toBe('STALE_VERSION');
    const [row] = await s.api.db.query(`SELECT capacity, version FROM provider_contract WHERE id = $1`, [contract.id]);
    expect(row).toEqual({ capacity: 45, version: 2 });
    expect(await s.given.auditRows('providerContract.updated', contract.id)).toHaveLength(1);
  });
});

describe('setDataSharingAgreement', () => {
  const agreementInput = (extra: Record<string, unknown> = {}) => ({
    providerId: s.c.provider.id, reference: 'DSA-2026-01', startsOn: '2021-01-01', visibleFields: ['Child.id', 'Child.firstName'],
    submissions: ['raiseEarlyHelpConcern'], ...extra,
  });

  it('refuses roles without provider:manage, writing nothing', async () => {
    expect(codeOf(await s.api.run(SET_AGREEMENT, { input: agreementInput() }))).toBe('UNAUTHENTICATED');
    for (const who of [s.c.earlyHelp, s.c.providerManager]) {
      expect(codeOf(await s.api.run(SET_AGREEMENT, { input: agreementInput() }, who))).toBe('FORBIDDEN');
    }
    expect(await s.given.count('data_sharing_agreement')).toBe(2);
  });

  it('refuses a field or submission outside the shareable vocabulary, naming each, and writes nothing', async () => {
    const r = await s.api.run(SET_AGREEMENT, {
      input: agreementInput({
        visibleFields: ['Child.id', 'Section47.startDate', 'Child.referrals'],
        submissions: ['startPlan', 'raiseEarlyHelpConcern'],
      }),
    }, s.c.admin);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(r)).toEqual(['submissions.0', 'visibleFields.1', 'visibleFields.2']);
    expect(codeOf(await s.api.run(SET_AGREEMENT, { input: agreementInput({ providerId: randomUUID() }) }, s.c.admin))).toBe('NOT_FOUND');
    expect(await s.given.count('data_sharing_agreement')).toBe(2);
    expect(await s.given.auditRows('dataSharingAgreement.set')).toHaveLength(0);
  });

  it("records a new agreement, audited, which then governs what the provider's staff may see", async () => {
    const child = await s.given.child();
    await s.eh.episode({ childIds: [child.id], status: 'OFFERED', providerId: s.c.provider.id, contractId: s.p.contractOne.id });
    const CHILD = `query($id: ID!) { child(id: $id) { id nhsNumber } }`;
    expect((await s.api.run(CHILD, { id: child.id }, s.c.providerPractitioner)).errors).toBeUndefined();

    const all = SHAREABLE_FIELDS.filter((f) => f !== 'Child.nhsNumber');
    const r = await s.api.run(SET_AGREEMENT, { input: agreementInput({ visibleFields: all, submissions: [...SUBMISSIONS] }) }, s.c.admin);
    expect(r.errors).toBeUndefined();
    expect(r.data.setDataSharingAgreement).toMatchObject({ providerId: s.c.provider.id, reference: 'DSA-2026-01', startsOn: '2021-01-01' });
    expect(await s.given.auditRows('dataSharingAgreement.set', r.data.setDataSharingAgreement.id)).toMatchObject([
      { actor_id: s.c.admin.id, result: 'ALLOWED' },
    ]);
    const current = await s.api.run(`query($id: ID!) { provider(id: $id) { currentAgreement { id } } }`, { id: s.c.provider.id }, s.c.admin);
    expect(current.data.provider.currentAgreement.id).toBe(r.data.setDataSharingAgreement.id);

    const after = await s.api.run(CHILD, { id: child.id }, s.c.providerPractitioner);
    expect(after.data?.child).toEqual({ id: child.id, nhsNumber: null });
    expect(after.errors?.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([['child.nhsNumber', 'FORBIDDEN']]);
  });
});

describe('createProviderAccount', () => {
  const accountInput = (extra: Record<string, unknown> = {}) => ({
    providerId: s.c.provider.id, email: 'Sam.Lead@Provider-One.example', displayName: 'Sam Lead', role: 'PROVIDER_PRACTITIONER', ...extra,
  });

  it('refuses roles without provider:manage, an unknown provider, a bad or taken email, writing nothing', async () => {
    const before = await s.given.count('account');
    expect(codeOf(await s.api.run(CREATE_ACCOUNT, { input: accountInput() }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await s.api.run(CREATE_ACCOUNT, { input: accountInput() }, s.c.providerManager))).toBe('FORBIDDEN');
    expect(codeOf(await s.api.run(CREATE_ACCOUNT, { input: accountInput({ providerId: randomUUID() }) }, s.c.admin))).toBe('NOT_FOUND');
    const bad = await s.api.run(CREATE_ACCOUNT, { input: accountInput({ email: 'not an email' }) }, s.c.admin);
    expect(fieldsOf(bad)).toEqual(['email']);
    const role = await s.api.run(CREATE_ACCOUNT, { input: accountInput({ role: 'SOCIAL_WORKER' }) }, s.c.admin);
    expect(codeOf(role)).toBe('BAD_USER_INPUT');
    const taken = await s.api.run(CREATE_ACCOUNT, { input: accountInput({ email: s.c.socialWorker.email.toUpperCase() }) }, s.c.admin);
    expect(codeOf(taken)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(taken)).toEqual(['email']);
    expect(await s.given.count('account')).toBe(before);
    expect(await s.given.auditRows('account.created')).toHaveLength(0);
  });

  it('creates a staff account that can sign in with its role and provider, and a system account, each audited', async () => {
    const r = await s.api.run(CREATE_ACCOUNT, { input: accountInput() }, s.c.admin);
    expect(r.errors).toBeUndefined();
    const account = r.data.createProviderAccount;
    expect(account).toMatchObject({
      email: 'sam.lead@provider-one.example', displayName: 'Sam Lead', providerId: s.c.provider.id, role: 'PROVIDER_PRACTITIONER', system: false,
    });
    expect(await s.given.auditRows('account.created', account.id)).toMatchObject([{ actor_id: s.c.admin.id, result: 'ALLOWED' }]);
    const me = await s.api.run(`{ me { id roles providerId } }`, {}, { id: account.id, email: account.email });
    expect(me.data.me).toEqual({ id: account.id, roles: ['PROVIDER_PRACTITIONER'], providerId: s.c.provider.id });

    const sys = await s.api.run(
      CREATE_ACCOUNT, { input: accountInput({ email: 'case-system@provider-one.example', displayName: 'Case system', system: true }) }, s.c.admin,
    );
    expect(sys.data.createProviderAccount).toMatchObject({ system: true });
    const [row] = await s.api.db.query(`SELECT system FROM account WHERE id = $1`, [sys.data.createProviderAccount.id]);
    expect(row.system).toBe(true);
  });
});
