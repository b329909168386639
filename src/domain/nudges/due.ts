// Finds overdue revisits in the database for a batch of owners: per owner the most overdue first,
// each with its last interaction (kept on the customer), and which of them slipped past their
// tier's grace period. One query per batch of owners, so no per-customer queries and memory
// bounded by the batch.
import type { Tier } from "../../generated/prisma/client.ts";
import type { DomainDeps } from "../deps.ts";
import { localDay } from "../time.ts";

/** An overdue customer as a reminder lists it, with its days in the workspace's zone. */
export interface DueItem {
  id: string;
  name: string;
  tier: Tier;
  dueDay: string;
  lastDay: string | null;
  lastKind: string | null;
  lastSummary: string | null;
}

/** An owner's overdue customers, most overdue first: how many in all, and of those slipped past their grace period. */
export interface OwnerDue {
  ownerId: string;
  /** The owner's `perOwner` most overdue (for the rep's own DM). */
  listed: DueItem[];
  /** The owner's `perOwnerSlipping` most overdue of the slipped (for the escalation); the same objects as in `listed` where both. */
  slipped: DueItem[];
  total: number;
  slipTotal: number;
}

interface Row {
  /** Set on the owner's first row only. */
  ownerId: string | null;
  id: string;
  name: string;
  tier: Tier;
  /** When the revisit fell due, and the last touch, in seconds since the epoch. */
  dueAt: number;
  lastAt: number | null;
  lastKind: string | null;
  lastSummary: string | null;
  slipping: boolean;
  /** Set on the owner's last row only. */
  total: number | null;
  slipTotal: number | null;
}

export interface DueQuery {
  ownerIds: string[];
  dueBefore: Date;
  snoozeBefore: Date;
  perOwner: number;
  perOwnerSlipping: number;
  /** A customer of each tier slipped when its revisit was due before this instant. */
  graceBefore: Record<Tier, Date>;
  /** The zone whose calendar days the items give. */
  timeZone: string;
}

export async function findOverdueByOwner(deps: DomainDeps, workspaceId: string, q: DueQuery): Promise<OwnerDue[]> {
  if (q.ownerIds.length === 0) return [];
  // One pass over the batch's due customers, sorted once: a running row number lists each owner's
  // most overdue and a running count of the slipping ones picks the escalation's. The owner's last
  // row comes too, listed or not, since its running counts are the totals (cheaper than a second
  // window over each owner).
  // Each value read costs Node about 0.3 us, more than PostgreSQL pays to send it, so the owner
  // is named on its first row and the totals given on its last only, and times come as epoch
  // seconds (timestamps' text parsed into dates cost more than the query).
  const rows = await deps.prisma.$queryRaw<Row[]>`
    with due as (
      select c."id", c."name", c."tier", c."ownerId", c."nextRevisitAt", c."lastContactAt",
             c."lastKind"::text as "lastKind", c."lastSummary",
             c."nextRevisitAt" < case c."tier"
               when 'key' then ${q.graceBefore.key}::timestamp
               when 'normal' then ${q.graceBefore.normal}::timestamp
               else ${q.graceBefore.prospect}::timestamp end as slipping
      from "Customer" c
      where c."workspaceId" = ${workspaceId}::uuid
        and c."ownerId" = any(${q.ownerIds}::uuid[])
        and c."nextRevisitAt" < ${q.dueBefore}
        and (c."snoozedUntil" is null or c."snoozedUntil" < ${q.snoozeBefore})
    ), ranked as (
      select due.*,
             row_number() over running as "dueRank",
             count(*) filter (where slipping) over running as "slipRank",
             lead(true) over running is null as "last"
      from due
      window running as (partition by "ownerId" order by "nextRevisitAt", "id" rows between unbounded preceding and current row)
    )
    select case when r."dueRank" = 1 then r."ownerId" end as "ownerId",
           r."id", r."name", r."tier",
           date_part('epoch', r."nextRevisitAt") as "dueAt", date_part('epoch', r."lastContactAt") as "lastAt",
           r."lastKind", r."lastSummary",
           (r.slipping and r."slipRank" <= ${q.perOwnerSlipping}) as slipping,
           case when r."last" then r."dueRank"::int end as "total",
           case when r."last" then r."slipRank"::int end as "slipTotal"
    from ranked r
    where r."dueRank" <= ${q.perOwner} or (r.slipping and r."slipRank" <= ${q.perOwnerSlipping}) or r."last"
    order by r."ownerId", r."nextRevisitAt", r."id"`;
  return byOwner(rows, q);
}

/**
 * Groups the rows, which come each owner's together and most overdue first, by owner. Every
 * customer ranked within `perOwner` comes, so an owner's first `perOwner` rows are the listed.
 */
function byOwner(rows: Row[], q: DueQuery): OwnerDue[] {
  const owners: OwnerDue[] = [];
  let current: OwnerDue | undefined;
  let rank = 0;
  for (const row of rows) {
    if (row.ownerId !== null) {
      current = { ownerId: row.ownerId, listed: [], slipped: [], total: 0, slipTotal: 0 };
      owners.push(current);
      rank = 0;
    }
    if (!current) continue;
    rank += 1;
    const listed = rank <= q.perOwner;
    if (listed || row.slipping) {
      const entry = item(row, q.timeZone);
      if (listed) current.listed.push(entry);
      if (row.slipping) current.slipped.push(entry);
    }
    if (row.total !== null) current.total = row.total;
    if (row.slipTotal !== null) current.slipTotal = row.slipTotal;
  }
  return owners;
}

function item(row: Row, timeZone: string): DueItem {
  return {
    id: row.id,
    name: row.name,
    tier: row.tier,
    dueDay: localDay(epochSeconds(row.dueAt), timeZone),
    lastDay: row.lastAt === null ? null : localDay(epochSeconds(row.lastAt), timeZone),
    lastKind: row.lastKind,
    lastSummary: row.lastSummary,
  };
}

function epochSeconds(seconds: number): Date {
  return new Date(Math.round(seconds * 1000));
}
