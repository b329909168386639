// The digest's feedback figures: items open at the end of each week, opened and resolved in it,
// the average time to resolve, and the oldest items still open now.
import { Prisma } from "../../generated/prisma/client.ts";
import type { DomainDeps } from "../deps.ts";
import { daysBetween, localDay } from "../time.ts";
import { byWeek, type DigestPeriod, type DigestScope, inScope, inWeek, num, ts, weeksUtc } from "./window.ts";

export const OPEN_LIST = 5;

export interface FeedbackFigures {
  open: number;
  opened: number;
  resolved: number;
  /** Average hours from opening to resolving, of the items resolved in the week. */
  resolveHours: number | null;
}

export interface OpenFeedbackItem {
  id: string;
  customerName: string;
  text: string;
  daysOpen: number;
}

interface Row {
  week: number;
  open: bigint | number;
  opened: bigint | number;
  resolved: bigint | number;
  resolveSeconds: number | null;
}

export async function feedbackFigures(
  deps: DomainDeps,
  workspaceId: string,
  scope: DigestScope,
  period: DigestPeriod,
): Promise<[FeedbackFigures, FeedbackFigures]> {
  const resolvedIn = inWeek(`f."resolvedAt"`);
  const rows = await deps.prisma.$queryRaw<Row[]>`
    select w."week",
      count(*) filter (where f."createdAt" < w."to" and (f."resolvedAt" is null or f."resolvedAt" >= w."to")) as "open",
      count(*) filter (where ${inWeek(`f."createdAt"`)}) as "opened",
      count(*) filter (where ${resolvedIn}) as "resolved",
      (avg(extract(epoch from (f."resolvedAt" - f."createdAt"))) filter (where ${resolvedIn}))::float8 as "resolveSeconds"
    from "Feedback" f
    join ${weeksUtc(period)} on true
    where f."workspaceId" = ${workspaceId}::uuid and f."createdAt" < ${ts(period.current.to)}::timestamp
      and (f."resolvedAt" is null or f."resolvedAt" >= ${ts(period.previous.from)}::timestamp)
      and ${inScope(scope, Prisma.sql`f."ownerId"`)}
    group by w."week"`;
  return byWeek(rows, (r) => ({
    open: num(r?.open),
    opened: num(r?.opened),
    resolved: num(r?.resolved),
    resolveHours:
      r?.resolveSeconds === null || r?.resolveSeconds === undefined ? null : Math.round(Number(r.resolveSeconds) / 36) / 100,
  }));
}

/** The oldest items open now, for the manager to chase. */
export async function oldestOpenFeedback(
  deps: DomainDeps,
  workspaceId: string,
  scope: DigestScope,
  timeZone: string,
): Promise<OpenFeedbackItem[]> {
  const rows = await deps.prisma.$queryRaw<{ id: string; customerName: string; text: string; createdAt: Date }[]>`
    select f."id", c."name" as "customerName", left(f."text", 200) as "text", f."createdAt"
    from "Feedback" f
    join "Customer" c on c."id" = f."customerId"
    where f."workspaceId" = ${workspaceId}::uuid and f."status" = 'open' and ${inScope(scope, Prisma.sql`f."ownerId"`)}
    order by f."createdAt", f."id"
    limit ${OPEN_LIST}`;
  const today = localDay(deps.clock.now(), timeZone);
  return rows.map((r) => ({
    id: r.id,
    customerName: r.customerName,
    text: r.text,
    daysOpen: daysBetween(localDay(r.createdAt, timeZone), today),
  }));
}
