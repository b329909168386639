// The revisits a member owes: overdue customers and those due soon, most overdue first.
import type { Member, Workspace } from "../generated/prisma/client.ts";
import { endOfToday } from "./customer-views.ts";
import type { CustomerWithOwner } from "./customers.ts";
import type { DomainDeps } from "./deps.ts";
import { addLocalDays } from "./time.ts";

export interface MemberRevisits {
  /** Due before the end of today and not snoozed past now. */
  overdue: CustomerWithOwner[];
  /** Due within the next `upcomingDays` days (snoozed overdue customers wait here too). */
  upcoming: CustomerWithOwner[];
  overdueTotal: number;
  upcomingTotal: number;
}

export interface RevisitWindow {
  upcomingDays: number;
  /** The most customers returned in each list; the totals still count them all. */
  limit?: number;
}

export async function memberRevisits(
  deps: DomainDeps,
  workspace: Workspace,
  member: Member,
  window: RevisitWindow,
): Promise<MemberRevisits> {
  const now = deps.clock.now();
  const todayEnd = endOfToday(deps, workspace.timeZone);
  const horizon = addLocalDays(todayEnd, window.upcomingDays, workspace.timeZone);
  const take = window.limit ?? 20;
  const mine = { workspaceId: workspace.id, ownerId: member.id };
  const notSnoozed = { OR: [{ snoozedUntil: null }, { snoozedUntil: { lte: now } }] };
  const overdueWhere = { ...mine, nextRevisitAt: { lt: todayEnd }, ...notSnoozed };
  const upcomingWhere = {
    ...mine,
    nextRevisitAt: { lt: horizon },
    NOT: overdueWhere,
  };
  const order = [{ nextRevisitAt: "asc" as const }, { normalizedName: "asc" as const }];
  const [overdue, upcoming, overdueTotal, upcomingTotal] = await Promise.all([
    deps.prisma.customer.findMany({ where: overdueWhere, include: { owner: true }, orderBy: order, take }),
    deps.prisma.customer.findMany({ where: upcomingWhere, include: { owner: true }, orderBy: order, take }),
    deps.prisma.customer.count({ where: overdueWhere }),
    deps.prisma.customer.count({ where: upcomingWhere }),
  ]);
  return { overdue, upcoming, overdueTotal, upcomingTotal };
}
