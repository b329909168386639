// Finds overdue revisits in the database: per owner, the most overdue first, each with its last
// interaction, in one query per workspace (no per-customer queries, memory bounded by `perOwner`).
import type { Tier } from "../../generated/prisma/client.ts";
import type { DomainDeps } from "../deps.ts";

export interface DueCustomer {
  id: string;
  name: string;
  tier: Tier;
  ownerId: string;
  nextRevisitAt: Date;
  lastContactAt: Date | null;
  lastKind: string | null;
  lastSummary: string | null;
  /** How many overdue customers this owner has in all (the list holds at most `perOwner`). */
  ownerTotal: number;
}

interface Row {
  id: string;
  name: string;
  tier: Tier;
  ownerId: string;
  nextRevisitAt: Date;
  lastContactAt: Date | null;
  lastKind: string | null;
  lastSummary: string | null;
  ownerTotal: bigint | number;
}

/**
 * Customers due before `dueBefore` and not snoozed past `snoozeBefore`, at most `perOwner` per owner.
 * `graceBefore` (per tier) narrows it to those overdue past their grace period, for escalation.
 */
export async function findOverdueByOwner(
  deps: DomainDeps,
  workspaceId: string,
  options: { dueBefore: Date; snoozeBefore: Date; perOwner: number; graceBefore?: Record<Tier, Date> },
): Promise<DueCustomer[]> {
  const g = options.graceBefore;
  // One bound for every tier when there is no grace: the due bound itself.
  const keyBefore = g?.key ?? options.dueBefore;
  const normalBefore = g?.normal ?? options.dueBefore;
  const prospectBefore = g?.prospect ?? options.dueBefore;
  const rows = await deps.prisma.$queryRaw<Row[]>`
    with due as (
      select c."id", c."name", c."tier", c."ownerId", c."nextRevisitAt", c."lastContactAt",
             row_number() over (partition by c."ownerId" order by c."nextRevisitAt", c."id") as rank,
             count(*) over (partition by c."ownerId") as "ownerTotal"
      from "Customer" c
      join "Member" m on m."id" = c."ownerId" and m."active"
      where c."workspaceId" = ${workspaceId}::uuid
        and c."nextRevisitAt" < ${options.dueBefore}
        and (c."snoozedUntil" is null or c."snoozedUntil" < ${options.snoozeBefore})
        and c."nextRevisitAt" < case c."tier"
              when 'key' then ${keyBefore}::timestamp
              when 'normal' then ${normalBefore}::timestamp
              else ${prospectBefore}::timestamp end
    )
    select due."id", due."name", due."tier", due."ownerId", due."nextRevisitAt", due."lastContactAt",
           due."ownerTotal", last."kind"::text as "lastKind", last."summary" as "lastSummary"
    from due
    left join lateral (
      select i."kind", i."summary" from "Interaction" i
      where i."customerId" = due."id" order by i."occurredAt" desc limit 1
    ) last on true
    where due.rank <= ${options.perOwner}
    order by due."ownerId", due."nextRevisitAt", due."id"`;
  return rows.map((r) => ({ ...r, ownerTotal: Number(r.ownerTotal) }));
}
