// Revisit discipline per rep, from the interaction history in the database. Every touch (the
// customer's creation, each logged interaction) sets a revisit due a cadence later, in local days.
// A revisit is due in a week when that date falls in it and the customer had not been touched
// again before the week began (a touch that was superseded earlier never came due); it is on time
// when the next touch came by the end of its due day.
import { Prisma } from "../../generated/prisma/client.ts";
import type { DomainDeps } from "../deps.ts";
import type { Settings } from "../settings.ts";
import { addDays, localDay, zonedInstant } from "../time.ts";
import { type DigestPeriod, type DigestScope, inScope, num, ts, weeksLocal } from "./window.ts";

export const REP_LIST = 15;

export interface RepDiscipline {
  memberId: string;
  externalId: string;
  name: string;
  due: number;
  onTime: number;
  previousDue: number;
  previousOnTime: number;
  /** Customers overdue now (due before today, not snoozed). */
  overdueNow: number;
}

export interface RevisitFigures {
  reps: RepDiscipline[];
  repsTotal: number;
  due: number;
  onTime: number;
  previousDue: number;
  previousOnTime: number;
  overdueNow: number;
}

interface Row {
  ownerId: string;
  week: number;
  due: bigint | number;
  onTime: bigint | number;
}

export async function revisitFigures(
  deps: DomainDeps,
  workspaceId: string,
  settings: Settings,
  scope: DigestScope,
  period: DigestPeriod,
): Promise<RevisitFigures> {
  const tz = period.timeZone;
  const { key, normal, prospect } = settings.cadence;
  const cadence = Prisma.sql`coalesce(c."cadenceDays", case c."tier" when 'key' then ${key}::int when 'normal' then ${normal}::int else ${prospect}::int end)`;
  // A touch older than the longest cadence before the first week cannot come due in either week.
  const horizon = zonedInstant(addDays(period.previous.fromDay, -(await longestCadence(deps, workspaceId, settings)) - 1), tz);
  const rows = await deps.prisma.$queryRaw<Row[]>`
    with customers as (
      select c."id", c."ownerId", c."createdAt", ${cadence} as "cadence"
      from "Customer" c
      where c."workspaceId" = ${workspaceId}::uuid and c."ownerId" is not null and ${inScope(scope, Prisma.sql`c."ownerId"`)}
    ),
    touches as (
      select c."id", c."ownerId", c."cadence", c."createdAt" as "at" from customers c
      union all
      select c."id", c."ownerId", c."cadence", i."occurredAt" from customers c
      ${interactionsOf(scope, horizon)}
    ),
    chained as (
      select "ownerId", "at", "cadence", lead("at") over (partition by "id" order by "at") as "next" from touches
    ),
    dues as (
      select "ownerId",
             (("at" at time zone 'UTC') at time zone ${tz}) + make_interval(days => "cadence") as "dueLocal",
             (("next" at time zone 'UTC') at time zone ${tz}) as "nextLocal"
      from chained
      where "at" >= ${ts(horizon)}::timestamp
    )
    select d."ownerId", w."week",
      count(*) filter (where d."nextLocal" is null or d."nextLocal" >= w."from") as "due",
      count(*) filter (where d."nextLocal" >= w."from" and d."nextLocal" < date_trunc('day', d."dueLocal") + interval '1 day') as "onTime"
    from dues d
    join ${weeksLocal(period)} on d."dueLocal" >= w."from" and d."dueLocal" < w."to"
    group by d."ownerId", w."week"`;
  const overdue = await overdueNow(deps, workspaceId, scope, tz);
  const perRep = new Map<string, Omit<RepDiscipline, "memberId" | "externalId" | "name">>();
  const entry = (id: string) => {
    const e = perRep.get(id) ?? { due: 0, onTime: 0, previousDue: 0, previousOnTime: 0, overdueNow: 0 };
    perRep.set(id, e);
    return e;
  };
  for (const r of rows) {
    const e = entry(r.ownerId);
    if (Number(r.week) === 1) [e.due, e.onTime] = [num(r.due), num(r.onTime)];
    else [e.previousDue, e.previousOnTime] = [num(r.due), num(r.onTime)];
  }
  for (const [id, count] of overdue) entry(id).overdueNow = count;
  const members = await deps.prisma.member.findMany({ where: { id: { in: [...perRep.keys()] } } });
  const reps = members
    .map((m) => ({ memberId: m.id, externalId: m.externalId, name: m.displayName, ...entry(m.id) }))
    .filter((r) => r.due + r.previousDue + r.overdueNow > 0)
    .sort((a, b) => b.overdueNow - a.overdueNow || b.due - b.onTime - (a.due - a.onTime) || a.name.localeCompare(b.name));
  const sum = (pick: (r: RepDiscipline) => number) => reps.reduce((total, r) => total + pick(r), 0);
  return {
    reps: reps.slice(0, REP_LIST),
    repsTotal: reps.length,
    due: sum((r) => r.due),
    onTime: sum((r) => r.onTime),
    previousDue: sum((r) => r.previousDue),
    previousOnTime: sum((r) => r.previousOnTime),
    overdueNow: sum((r) => r.overdueNow),
  };
}

/**
 * A team's customers are a small part of the workspace's: their interactions are looked up per
 * customer by index ("offset 0" keeps the planner from hashing every interaction of the workspace
 * instead). A whole workspace's are joined in one pass.
 */
function interactionsOf(scope: DigestScope, horizon: Date): Prisma.Sql {
  const since = Prisma.sql`${ts(horizon)}::timestamp`;
  if (scope.kind === "workspace")
    return Prisma.sql`join "Interaction" i on i."customerId" = c."id" and i."occurredAt" >= ${since}`;
  return Prisma.sql`cross join lateral (
        select i."occurredAt" from "Interaction" i where i."customerId" = c."id" and i."occurredAt" >= ${since} offset 0
      ) i`;
}

/** The longest cadence in use: the tiers' and any customer's own. */
async function longestCadence(deps: DomainDeps, workspaceId: string, settings: Settings): Promise<number> {
  const own = await deps.prisma.customer.aggregate({ where: { workspaceId }, _max: { cadenceDays: true } });
  return Math.max(settings.cadence.key, settings.cadence.normal, settings.cadence.prospect, own._max.cadenceDays ?? 0);
}

/** Customers per owner whose revisit was due before today and is not snoozed. */
async function overdueNow(deps: DomainDeps, workspaceId: string, scope: DigestScope, tz: string): Promise<Map<string, number>> {
  const now = deps.clock.now();
  const startOfToday = zonedInstant(localDay(now, tz), tz);
  const groups = await deps.prisma.customer.groupBy({
    by: ["ownerId"],
    where: {
      workspaceId,
      nextRevisitAt: { lt: startOfToday },
      OR: [{ snoozedUntil: null }, { snoozedUntil: { lte: now } }],
      ...(scope.kind === "team" ? { ownerId: { in: scope.memberIds } } : { ownerId: { not: null } }),
    },
    _count: { _all: true },
  });
  return new Map(groups.map((g) => [g.ownerId as string, g._count._all]));
}
