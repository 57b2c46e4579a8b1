import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';

export function commissioningLoaders(_db: DataSource, _actor: Actor | null) {
  return {};
}
