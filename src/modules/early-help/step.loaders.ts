import type { DataSource } from 'typeorm';
import type { Actor } from '../identity/actor';

export function stepLoaders(_db: DataSource, _actor: Actor | null) {
  return {};
}
