import { readFileSync } from 'node:fs';
import path from 'node:path';
import { graphql, GraphQLObjectType, isIntrospectionType, isObjectType } from 'graphql';
import { describeRules } from '../src/shared/authz/merge';
import { buildBareSchema, guard, permissionMap } from '../src/app';
import { printedSchema } from '../src/shared/graphql/print-schema';
import { codeOf, createTestApi, TestApi } from './api';
import { factories, givenCouncil } from './factories';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

describe('schema.graphql', () => {
  it('is the schema the code generates (run `npm run schema` after changing the API)', async () => {
    const committed = readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8');
    expect(committed).toBe(await printedSchema());
  });
});

describe('migrations', () => {
  it('leave nothing for the entities to change: every schema change ships a migration', async () => {
    const log = await api.db.driver.createSchemaBuilder().log();
    expect(log.upQueries.map((q) => q.query)).toEqual([]);
  });
});

describe('permissions', () => {
  it('match the reviewed snapshot (a diff here is a permission change: review it)', () => {
    expect(describeRules(permissionMap())).toMatchSnapshot();
  });

  it('give every field of every object type an explicit rule', async () => {
    const schema = await buildBareSchema();
    const map = permissionMap();
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || isIntrospectionType(type)) continue;
      for (const field of Object.keys((type as GraphQLObjectType).getFields())) {
        if (!map[type.name]?.[field]) missing.push(`${type.name}.${field}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('deny a field that has no rule (deny by default)', async () => {
    const given = factories(api.db);
    await given.reset();
    const c = await givenCouncil(given);
    // Remove one rule from the live map and rebuild: the field it guarded must now be refused.
    const schema = await buildBareSchema(api.haven.services);
    const map = permissionMap();
    delete (map.Me as Record<string, unknown>).displayName;
    const guarded = guard(schema, map);
    const ctx = await api.haven.contextFor(`Bearer ${await api.token(c.socialWorker)}`, 'test');
    const r = await graphql({ schema: guarded, source: '{ me { id displayName } }', contextValue: ctx });
    expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(r.errors?.[0].path).toEqual(['me', 'displayName']);
    // and the real guard still allows it
    const ok = await graphql({ schema: guard(schema), source: '{ me { id displayName } }', contextValue: ctx });
    expect(ok.errors).toBeUndefined();
  });

  it('answer UNAUTHENTICATED to an anonymous case query and FORBIDDEN to a role without the permission', async () => {
    const given = factories(api.db);
    await given.reset();
    const c = await givenCouncil(given);
    expect(codeOf(await api.run(`{ myCaseload { totalCount } }`))).toBe('UNAUTHENTICATED');
    expect(codeOf(await api.run(`{ myCaseload { totalCount } }`, {}, c.analyst))).toBe('FORBIDDEN');
    const me = await api.run(`{ me { id roles team { name } } }`, {}, c.socialWorker);
    expect(me.data.me).toEqual({ id: c.socialWorker.id, roles: ['SOCIAL_WORKER'], team: { name: 'Team A' } });
  });
});
