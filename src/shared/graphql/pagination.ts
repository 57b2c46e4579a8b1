import { ArgsType, ClassType, Field, Int, ObjectType } from 'type-graphql';
import { IsOptional, Max, MaxLength, Min } from 'class-validator';
import { badInput } from '../errors';

export const MAX_PAGE = 100;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 20, description: 'At most 100.' })
  @Min(1)
  @Max(MAX_PAGE)
  first: number;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(500)
  after?: string;
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** A Relay connection type for a node type (`<Name>Connection` / `<Name>Edge`). */
export function Connection<T extends object>(nodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field()
    cursor: string;

    @Field(() => nodeType)
    node: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [Edge])
    edges: Edge[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    @Field(() => Int)
    totalCount: number;
  }
  return ConnectionType;
}

/** Opaque keyset cursors: the sort key of the last row, base64url JSON. */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export type CursorPart = 'number' | 'uuid' | 'date' | 'int' | 'timestamp' | 'eventKey';

const CURSOR_PARTS: Record<CursorPart, (v: unknown) => boolean> = {
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  uuid: (v) => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  date: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`))
    && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
  int: (v) => typeof v === 'string' && /^[0-9]{1,18}$/.test(v),
  timestamp: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(v) && !Number.isNaN(Date.parse(v)),
  eventKey: (v) => typeof v === 'string' && /^[A-Z0-9_]{1,40}:[0-9a-f-]{36}$/.test(v),
};

/** The keyset of `after`, each part checked against the list's sort key, or BAD_USER_INPUT: nothing odd reaches SQL. */
export function decodeCursor(cursor: string | undefined, parts: CursorPart[]): unknown[] | null {
  if (!cursor) return null;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = null;
  }
  if (Array.isArray(key) && key.length === parts.length && parts.every((part, i) => CURSOR_PARTS[part](key[i]))) return key;
  throw badInput([{ field: 'after', message: 'is not a cursor from this list' }]);
}

/**
 * One statement for a keyset page and the whole list's total: `matches` is the scoped list (its columns are what the
 * page returns), `orderBy` names its sort columns, `after` is the keyset condition over them. An empty page still
 * returns one row (all nulls but `total_count`), so the total is right past the last page too.
 */
export function pagedSql(matches: string, orderBy: string, after: string | null, limit: string): string {
  return `WITH matches AS (${matches}), total AS (SELECT count(*) AS total_count FROM matches)
    SELECT page.*, total.total_count FROM total
    LEFT JOIN LATERAL (SELECT * FROM matches ${after ? `WHERE ${after}` : ''} ORDER BY ${orderBy} LIMIT ${limit}) page ON true
    ORDER BY ${orderBy}`;
}

/**
 * Builds a page from rows fetched with `pagedSql` (LIMIT first + 1); the last key of a row is its unique id.
 */
export function toPage<R extends { totalCount?: number }, T>(
  rows: R[],
  first: number,
  keyOf: (row: R) => unknown[],
  nodeOf: (row: R) => T,
): Page<T> {
  const total = rows.length ? Number(rows[0].totalCount ?? 0) : 0;
  const real = rows.filter((r) => {
    const key = keyOf(r);
    return key[key.length - 1] !== null && key[key.length - 1] !== undefined;
  });
  const hasNextPage = real.length > first;
  const slice = hasNextPage ? real.slice(0, first) : real;
  const edges = slice.map((r) => ({ cursor: encodeCursor(keyOf(r)), node: nodeOf(r) }));
  return {
    edges,
    pageInfo: { hasNextPage, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
    totalCount: total,
  };
}
