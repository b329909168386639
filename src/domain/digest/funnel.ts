// The funnel as it stood at the end of each week: count and amount of open opportunities per
// stage. An opportunity's stage at a past moment is read from its audit trail (the last move
// before that moment, else the stage the first later move left), so last week's funnel stays
// right after deals move on.

import type { FunnelStage } from "../../generated/prisma/client.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import type { DomainDeps } from "../deps.ts";
import { FUNNEL } from "../opportunities.ts";
import { type DigestPeriod, type DigestScope, inScope, num, ts } from "./window.ts";

export interface FunnelRow {
  stage: FunnelStage;
  currency: string;
  count: number;
  /** Decimal sums as text, so that money is never rounded through a float. */
  amount: string;
  previousCount: number;
  previousAmount: string;
}

interface Row {
  week: number;
  stage: FunnelStage;
  currency: string;
  count: bigint | number;
  amount: string;
}

export async function funnelFigures(
  deps: DomainDeps,
  workspaceId: string,
  scope: DigestScope,
  period: DigestPeriod,
): Promise<FunnelRow[]> {
  const prevEnd = ts(period.previous.to);
  const curEnd = ts(period.current.to);
  const trail = (action: string) =>
    Prisma.sql`e."entity" = 'opportunity' and e."entityId" = a."id"::text and e."action" = ${action}`;
  const rows = await deps.prisma.$queryRaw<Row[]>`
    with opp as (
      select o."id", o."amount", o."currency", o."stage"::text as "stage", o."createdAt", o."closedAt"
      from "Opportunity" o
      join "Customer" c on c."id" = o."customerId"
      where o."workspaceId" = ${workspaceId}::uuid and o."createdAt" < ${curEnd}::timestamp
        and (o."closedAt" is null or o."closedAt" >= ${prevEnd}::timestamp)
        and ${inScope(scope, Prisma.sql`c."ownerId"`)}
    ),
    asof as (
      select opp.*, w."week", w."at"
      from opp
      join (values (0, ${prevEnd}::timestamp), (1, ${curEnd}::timestamp)) as w("week", "at")
        on opp."createdAt" < w."at" and (opp."closedAt" is null or opp."closedAt" >= w."at")
    ),
    staged as (
      select a."week", a."currency", a."amount", coalesce(
        (select e."data"->>'to' from "AuditEvent" e where ${trail("opportunity.stage")} and e."createdAt" < a."at" order by e."createdAt" desc limit 1),
        (select e."data"->>'from' from "AuditEvent" e where ${trail("opportunity.stage")} and e."createdAt" >= a."at" order by e."createdAt" limit 1),
        (select e."data"->>'stage' from "AuditEvent" e where ${trail("opportunity.won")} limit 1),
        a."stage") as "stage"
      from asof a
    )
    select "week", "stage", "currency", count(*) as "count", coalesce(sum("amount"), 0)::text as "amount"
    from staged group by "week", "stage", "currency"`;
  const keyed = new Map<string, FunnelRow>();
  for (const r of rows) {
    const key = `${r.stage}|${r.currency}`;
    const row = keyed.get(key) ?? {
      stage: r.stage,
      currency: r.currency,
      count: 0,
      amount: "0",
      previousCount: 0,
      previousAmount: "0",
    };
    if (Number(r.week) === 1) [row.count, row.amount] = [num(r.count), r.amount];
    else [row.previousCount, row.previousAmount] = [num(r.count), r.amount];
    keyed.set(key, row);
  }
  return [...keyed.values()].sort(
    (a, b) => FUNNEL.indexOf(a.stage) - FUNNEL.indexOf(b.stage) || a.currency.localeCompare(b.currency),
  );
}
