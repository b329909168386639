// Customers who changed lifecycle stage in each week, from the audit trail (lost, won back, edited,
// or moved by the funnel). A customer who changed twice counts once, with its net change.
import { Prisma, type Stage } from "../../generated/prisma/client.ts";
import type { DomainDeps } from "../deps.ts";
import { localDay } from "../time.ts";
import { type DigestPeriod, type DigestScope, inScope, num, ts, weeksUtc } from "./window.ts";

export const STAGE_LIST = 10;

export interface StageChange {
  customerId: string;
  customerName: string;
  from: Stage | null;
  to: Stage;
  day: string;
}

export interface StageFigures {
  customers: number;
  previousCustomers: number;
  /** This week's customers by the stage they moved to. */
  byStage: Partial<Record<Stage, number>>;
  list: StageChange[];
}

function netChanges(workspaceId: string, scope: DigestScope, period: DigestPeriod): Prisma.Sql {
  return Prisma.sql`
    with changes as (
      select a."entityId" as "customerId", a."createdAt" as "at",
        case a."action" when 'customer.lost' then a."data"->>'from' when 'customer.winback' then 'lost'
          when 'customer.stage' then a."data"->>'from' else a."data"->>'fromStage' end as "from",
        case a."action" when 'customer.lost' then 'lost' when 'customer.winback' then 'current'
          when 'customer.stage' then a."data"->>'to' else a."data"->'changes'->>'stage' end as "to"
      from "AuditEvent" a
      where a."workspaceId" = ${workspaceId}::uuid and a."entity" = 'customer'
        and a."createdAt" >= ${ts(period.previous.from)}::timestamp and a."createdAt" < ${ts(period.current.to)}::timestamp
        and (a."action" in ('customer.lost', 'customer.winback', 'customer.stage')
          or (a."action" = 'customer.edit' and a."data"->'changes'->>'stage' is not null))
    ),
    net as (
      select w."week", ch."customerId", c."name" as "customerName",
        (array_agg(ch."from" order by ch."at"))[1] as "from",
        (array_agg(ch."to" order by ch."at" desc))[1] as "to",
        max(ch."at") as "at"
      from changes ch
      join "Customer" c on c."id"::text = ch."customerId"
      join ${weeksUtc(period)} on ch."at" >= w."from" and ch."at" < w."to"
      where ${inScope(scope, Prisma.sql`c."ownerId"`)}
      group by w."week", ch."customerId", c."name"
    )`;
}

export async function stageFigures(
  deps: DomainDeps,
  workspaceId: string,
  scope: DigestScope,
  period: DigestPeriod,
): Promise<StageFigures> {
  const net = netChanges(workspaceId, scope, period);
  const counts = await deps.prisma.$queryRaw<{ week: number; to: Stage; customers: bigint | number }[]>`
    ${net}
    select "week", "to", count(*) as "customers" from net
    where "from" is distinct from "to"
    group by "week", "to"`;
  const list = await deps.prisma.$queryRaw<(Omit<StageChange, "day"> & { at: Date })[]>`
    ${net}
    select "customerId", "customerName", "from", "to", "at" from net
    where "week" = 1 and "from" is distinct from "to"
    order by "at", "customerId"
    limit ${STAGE_LIST}`;
  const byStage: StageFigures["byStage"] = {};
  let customers = 0;
  let previousCustomers = 0;
  for (const r of counts) {
    if (Number(r.week) === 1) {
      byStage[r.to] = num(r.customers);
      customers += num(r.customers);
    } else previousCustomers += num(r.customers);
  }
  return {
    customers,
    previousCustomers,
    byStage,
    list: list.map(({ at, ...r }) => ({ ...r, day: localDay(at, period.timeZone) })),
  };
}
