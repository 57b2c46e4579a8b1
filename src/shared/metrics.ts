import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics: request counts and durations by operation, database pool usage, process defaults. */
export function createMetrics(pool: () => { totalCount: number; idleCount: number; waitingCount: number } | undefined) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'haven_graphql_requests_total',
    help: 'GraphQL requests by operation name and outcome',
    labelNames: ['operation', 'outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'haven_graphql_request_duration_seconds',
    help: 'GraphQL request duration by operation name',
    labelNames: ['operation'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  for (const [name, key] of [
    ['haven_db_pool_connections', 'totalCount'],
    ['haven_db_pool_idle', 'idleCount'],
    ['haven_db_pool_waiting', 'waitingCount'],
  ] as const) {
    new Gauge({
      name,
      help: `database pool ${key}`,
      registers: [registry],
      collect() {
        this.set(pool()?.[key] ?? 0);
      },
    });
  }
  return { registry, requests, duration };
}
export type Metrics = ReturnType<typeof createMetrics>;
