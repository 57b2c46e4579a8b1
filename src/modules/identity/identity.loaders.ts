import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { camelRows, oneInOrder } from '../../shared/db/sql';

export interface TeamRow {
  id: string;
  name: string;
  kind: string;
}
export interface WorkerRow {
  id: string;
  displayName: string;
  teamId: string | null;
}

/** Teams and staff names are organisational data, not case data: no case scope applies. */
export function identityLoaders(db: DataSource) {
  return {
    teamById: new DataLoader<string, TeamRow | null>(async (ids) =>
      oneInOrder(ids, camelRows<TeamRow>(await db.query(`SELECT id, name, kind FROM team WHERE id = ANY($1::uuid[])`, [ids])), (r) => r.id),
    ),
    workerById: new DataLoader<string, WorkerRow | null>(async (ids) =>
      oneInOrder(
        ids,
        camelRows<WorkerRow>(await db.query(`SELECT id, display_name, team_id FROM account WHERE id = ANY($1::uuid[])`, [ids])),
        (r) => r.id,
      ),
    ),
  };
}
