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
  ownerId: string;
  /** The local day (in the query's time zone) the revisit fell due, as YYYY-MM-DD. */
  dueDay: string;
  /** The local day of the last touch, if any. */
  lastDay: string | null;
  lastKind: string | null;
  lastSummary: string | null;
  /** Among the owner's `perOwner` most overdue (for the rep's own DM). */
  listed: boolean;
  /** Overdue past the grace period, and among the owner's `perOwnerSlipping` most overdue such. */
  slipping: boolean;
  /** How many overdue, and how many slipping, this owner has in all. */
  ownerTotal: number;
  slipTotal: number;
}

export interface DueQuery {
  ownerIds: string[];
  dueBefore: Date;
  snoozeBefore: Date;
  perOwner: number;
  perOwnerSlipping: number;
  /** A customer of each tier slipped when its revisit was due before this instant. */
  graceBefore: Record<Tier, Date>;
  /** The zone whose calendar days `dueDay` and `lastDay` are given in. */
  timeZone: string;
}

export async function findOverdueByOwner(deps: DomainDeps, workspaceId: string, q: DueQuery): Promise<DueCustomer[]> {
  if (q.ownerIds.length === 0) return [];
  // One pass over the batch's due customers, sorted once: a running row number lists each owner's
  // most overdue, a running count of the slipping ones picks the escalation's, and the totals are
  // counted once per owner (a partition without an order is one frame, not one per row). The local
  // days are read for the listed rows only, in the database: parsing their times into dates and
  // asking the zone for each day cost the sweep more than the whole query.
  return deps.prisma.$queryRaw<DueCustomer[]>`
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
             count(*) over owner as "ownerTotal",
             count(*) filter (where slipping) over owner as "slipTotal"
      from due
      window running as (partition by "ownerId" order by "nextRevisitAt", "id" rows between unbounded preceding and current row),
             owner as (partition by "ownerId")
    )
    select r."id", r."name", r."tier", r."ownerId",
           to_char((r."nextRevisitAt" at time zone 'UTC') at time zone ${q.timeZone}, 'YYYY-MM-DD') as "dueDay",
           to_char((r."lastContactAt" at time zone 'UTC') at time zone ${q.timeZone}, 'YYYY-MM-DD') as "lastDay",
           r."lastKind", r."lastSummary",
           r."dueRank" <= ${q.perOwner} as listed,
           (r.slipping and r."slipRank" <= ${q.perOwnerSlipping}) as slipping,
           r."ownerTotal"::int as "ownerTotal", r."slipTotal"::int as "slipTotal"
    from ranked r
    where r."dueRank" <= ${q.perOwner} or (r.slipping and r."slipRank" <= ${q.perOwnerSlipping})
    order by r."ownerId", r."nextRevisitAt", r."id"`;
}
