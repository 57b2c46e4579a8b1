import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createHaven, Haven } from '../src/app';
import { loadConfig } from '../src/config';
import { createDataSource, statementCounter } from '../src/shared/db/data-source';
import { createLogger } from '../src/shared/logger';
import { loadOrCreateDevKey, signDevToken } from '../src/modules/identity/auth';
import { testDatabaseUrl } from './setup/database';

export const TEST_DATA_DIR = path.join(os.tmpdir(), 'haven-test-data');

export interface GqlResult<T = any> {
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: { code?: string; fields?: { field: string }[]; [k: string]: unknown } }[];
}

export interface TestApi {
  db: DataSource;
  haven: Haven;
  /** Runs an operation through the guarded schema with the actor's bearer token (or anonymously). */
  run<T = any>(query: string, variables?: Record<string, unknown>, as?: { id: string; email: string } | null): Promise<GqlResult<T>>;
  token(as: { id: string; email: string }): Promise<string>;
  /** SQL statements sent by the application since the last reset. */
  statements(): number;
  resetStatements(): void;
  close(): Promise<void>;
}

export function testConfig(extra: Record<string, string> = {}) {
  return loadConfig({ ...process.env, NODE_ENV: 'test', DATABASE_URL: testDatabaseUrl(), HAVEN_DATA_DIR: TEST_DATA_DIR, ...extra });
}

export async function createTestApi(): Promise<TestApi> {
  const config = testConfig();
  const db = createDataSource({ url: testDatabaseUrl(), poolMax: 10, poolAcquireTimeoutMs: config.poolAcquireTimeoutMs });
  await db.initialize();
  const haven = await createHaven(db, config, createLogger('silent'));
  const key = await loadOrCreateDevKey(config.dataDir);
  const token = (as: { id: string; email: string }) => signDevToken(key, config.oidcAudience, as, '10m');
  return {
    db,
    haven,
    token,
    run: (query, variables, as) => execute(haven, token, query, variables, as),
    statements: () => statementCounter.count,
    resetStatements: () => {
      statementCounter.count = 0;
    },
    async close() {
      await haven.apollo.stop();
      await db.destroy();
    },
  };
}

type Signer = (as: { id: string; email: string }) => Promise<string>;

/** Runs an operation through an app's guarded schema, as an account (bearer token) or anonymously. */
async function execute<T = any>(
  haven: Haven,
  token: Signer,
  query: string,
  variables?: Record<string, unknown>,
  as?: { id: string; email: string } | null,
): Promise<GqlResult<T>> {
  const contextValue = await haven.contextFor(as ? `Bearer ${await token(as)}` : undefined, randomUUID());
  const res = await haven.apollo.executeOperation({ query, variables }, { contextValue });
  if (res.body.kind !== 'single') throw new Error('unexpected incremental response');
  return res.body.singleResult as GqlResult<T>;
}

export interface FixedClock {
  /** The app whose service clock is fixed (its own services and calendar). */
  readonly haven: Haven;
  run<T = any>(query: string, variables?: Record<string, unknown>, as?: { id: string; email: string } | null): Promise<GqlResult<T>>;
  /** Moves the clock (reset to the start instant before each test). */
  set(iso: string): void;
}

/**
 * A second app on the suite's database whose service clock reads `startIso` (for dates the real clock would call
 * future or past). Registers its own hooks: built once, clock reset and calendar reloaded before each test.
 */
export function useFixedClock(suite: { api: TestApi }, startIso: string): FixedClock {
  let now = new Date(startIso);
  let haven: Haven;
  beforeAll(async () => {
    haven = await createHaven(suite.api.db, testConfig(), createLogger('silent'), { now: () => now });
  });
  afterAll(() => haven.apollo.stop());
  beforeEach(async () => {
    now = new Date(startIso);
    await haven.services.calendar.load();
  });
  return {
    get haven() {
      return haven;
    },
    run: (query, variables, as) => execute(haven, suite.api.token, query, variables, as),
    set: (iso) => {
      now = new Date(iso);
    },
  };
}

export const codeOf = (r: GqlResult) => r.errors?.[0]?.extensions?.code;
