import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';
import type { Provider } from '../identity/identity.entity';
import { camelRows, groupInOrder, oneInOrder, Params } from '../../shared/db/sql';
import type { DataSharingAgreement, ProviderContract } from './early-help.entity';
import { providerScope } from './provider.service';
import type { ProviderCapacityType } from './provider.types';

/** A provider on a date (the service clock's today, which the resolver passes: loaders have no clock). */
export interface ProviderOn {
  providerId: string;
  today: string;
}
const onKey = (k: ProviderOn) => `${k.providerId}|${k.today}`;

/**
 * One statement per batch of (provider, date) keys: `lateral` is a SELECT over `k` (provider_id, today) giving at most
 * one row per key, for visible providers only; results come back in key order.
 */
function providerOnLoader<T>(db: DataSource, actor: Actor | null, lateral: string): DataLoader<ProviderOn, T | null, string> {
  return new DataLoader<ProviderOn, T | null, string>(
    async (keys) => {
      if (!actor) return keys.map(() => null);
      const p = new Params();
      const rows = await db.query(
        `SELECT k.n, x.*
         FROM unnest(${p.add(keys.map((k) => k.providerId))}::uuid[], ${p.add(keys.map((k) => k.today))}::date[])
              WITH ORDINALITY AS k(provider_id, today, n)
         JOIN provider pr ON pr.id = k.provider_id
         CROSS JOIN LATERAL (${lateral}) x
         WHERE ${providerScope(actor, p)}`,
        p.values,
      );
      const byN = new Map<number, T>(camelRows<T & { n: number }>(rows).map(({ n, ...r }) => [Number(n), r as T]));
      return keys.map((_k, i) => byN.get(i + 1) ?? null);
    },
    { cacheKeyFn: onKey },
  );
}

export function providerLoaders(db: DataSource, actor: Actor | null) {
  return {
    /** Providers the actor may see (provider staff: their own only). */
    providerById: new DataLoader<string, Provider | null>(async (ids) => {
      if (!actor) return ids.map(() => null);
      const p = new Params();
      const rows = await db.query(
        `SELECT pr.id, pr.name, pr.version FROM provider pr WHERE pr.id = ANY(${p.add(ids)}::uuid[]) AND ${providerScope(actor, p)}`,
        p.values,
      );
      return oneInOrder(ids, camelRows<Provider>(rows), (r) => r.id);
    }),

    /** Each provider's contracts, newest first. */
    providerContractsByProviderId: new DataLoader<string, ProviderContract[]>(async (ids) => {
      if (!actor) return ids.map(() => []);
      const p = new Params();
      const rows = await db.query(
        `SELECT c.* FROM provider_contract c JOIN provider pr ON pr.id = c.provider_id
         WHERE c.provider_id = ANY(${p.add(ids)}::uuid[]) AND ${providerScope(actor, p)} ORDER BY c.starts_on DESC, c.created_at DESC`,
        p.values,
      );
      return groupInOrder(ids, camelRows<ProviderContract>(rows), (r) => r.providerId);
    }),

    /** The agreement in force on the day (the newest to start), or null. */
    providerAgreementOn: providerOnLoader<DataSharingAgreement>(
      db,
      actor,
      `SELECT a.* FROM data_sharing_agreement a WHERE a.provider_id = k.provider_id AND a.starts_on <= k.today
         AND (a.ends_on IS NULL OR a.ends_on >= k.today) ORDER BY a.starts_on DESC, a.created_at DESC LIMIT 1`,
    ),

    /** Capacity in force on the day, and the families in work with or offered to the provider. */
    providerCapacityOn: providerOnLoader<ProviderCapacityType>(
      db,
      actor,
      `SELECT cap.capacity, used.in_work, used.offered, cap.capacity - used.in_work - used.offered AS available
       FROM (SELECT coalesce(sum(c.capacity), 0)::int AS capacity FROM provider_contract c
             WHERE c.provider_id = k.provider_id AND c.starts_on <= k.today AND c.ends_on >= k.today) cap,
            (SELECT count(*) FILTER (WHERE e.status = 'IN_WORK')::int AS in_work, count(*) FILTER (WHERE e.status = 'OFFERED')::int AS offered
             FROM early_help_episode e WHERE e.provider_id = k.provider_id AND e.status IN ('IN_WORK', 'OFFERED')) used`,
    ),
  };
}
