// Finds overdue revisits in the database for a batch of owners: per owner the most overdue first,
// each with its last interaction (kept on the customer), and which of them slipped past their
// tier's grace period. One query per batch of owners, so no per-customer queries and memory
// bounded by the batch.
import type { Tier } from "../../generated/prisma/client.ts";
import type { DomainDeps } from "../deps.ts";

export interface DueCustomer {
  id: string;
  name: string;
  tier: Tier;
  /** When the revisit fell due, and the last touch, in seconds since the epoch. */
  dueAt: number;
  lastAt: number | null;
  lastKind: string | null;
  lastSummary: string | null;
  /** Among the owner's `perOwner` most overdue (for the rep's own DM). */
  listed: boolean;
  /** Overdue past the grace period, and among the owner's `perOwnerSlipping` most overdue such. */
  slipping: boolean;
}

/** An owner's listed and slipping customers, most overdue first, and how many are overdue and slipping in all. */
export interface OwnerDue {
  ownerId: string;
  customers: DueCustomer[];
  total: number;
  slipTotal: number;
}

interface Row extends DueCustomer {
  ownerId: string;
  /** The customer's place among the owner's overdue, and among the slipping so far. */
  dueRank: number;
  slipRank: number;
  /** The owner's last overdue customer: its ranks are the owner's totals. */
  last: boolean;
}

export interface DueQuery {
  ownerIds: string[];
  dueBefore: Date;
  snoozeBefore: Date;
  perOwner: number;
  perOwnerSlipping: number;
  /** A customer of each tier slipped when its revisit was due before this instant. */
  graceBefore: Record<Tier, Date>;
}

export async function findOverdueByOwner(deps: DomainDeps, workspaceId: string, q: DueQuery): Promise<OwnerDue[]> {
  if (q.ownerIds.length === 0) return [];
  // One pass over the batch's due customers, sorted once: a running row number lists each owner's
  // most overdue and a running count of the slipping ones picks the escalation's. The owner's last
  // row comes too, listed or not, since its running counts are the totals (cheaper than a second
  // window over each owner). Times come as epoch seconds: turning timestamps' text into dates cost
  // more than the query.
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
    select r."id", r."name", r."tier", r."ownerId",
           date_part('epoch', r."nextRevisitAt") as "dueAt", date_part('epoch', r."lastContactAt") as "lastAt",
           r."lastKind", r."lastSummary",
           r."dueRank" <= ${q.perOwner} as listed,
           (r.slipping and r."slipRank" <= ${q.perOwnerSlipping}) as slipping,
           r."dueRank"::int as "dueRank", r."slipRank"::int as "slipRank", r."last"
    from ranked r
    where r."dueRank" <= ${q.perOwner} or (r.slipping and r."slipRank" <= ${q.perOwnerSlipping}) or r."last"
    order by r."ownerId", r."nextRevisitAt", r."id"`;
  return byOwner(rows);
}

/** Groups the rows, which come each owner's together and most overdue first, by owner. */
function byOwner(rows: Row[]): OwnerDue[] {
  const owners: OwnerDue[] = [];
  let current: OwnerDue | undefined;
  for (const row of rows) {
    if (current?.ownerId !== row.ownerId) {
      current = { ownerId: row.ownerId, customers: [], total: 0, slipTotal: 0 };
      owners.push(current);
    }
    if (row.listed || row.slipping) current.customers.push(row);
    if (row.last) {
      current.total = row.dueRank;
      current.slipTotal = row.slipRank;
    }
  }
  return owners;
}
