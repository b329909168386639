// Read models of customers: filtered, paged lists and the full customer card.
import type { Prisma as PrismaNS, Stage, Tier } from "../generated/prisma/client.ts";
import { visibleCustomers } from "./access.ts";
import type { CustomerWithOwner } from "./customers.ts";
import type { Actor, DomainDeps } from "./deps.ts";
import { recentInteractions } from "./interactions.ts";
import { listOpportunities } from "./opportunities.ts";
import { addDays, localDay, zonedInstant } from "./time.ts";

export const PAGE_SIZE = 10;

export interface CustomerFilter {
  mine?: boolean | undefined;
  overdue?: boolean | undefined;
  tier?: Tier | undefined;
  stage?: Stage | undefined;
  region?: string | undefined;
  tag?: string | undefined;
  ownerId?: string | undefined;
}

export interface CustomerPage {
  items: CustomerWithOwner[];
  total: number;
  page: number;
  pages: number;
}

/** The end of the actor's local today: a revisit due before it is due or overdue now. */
export function endOfToday(deps: DomainDeps, timeZone: string): Date {
  return zonedInstant(addDays(localDay(deps.clock.now(), timeZone), 1), timeZone);
}

export async function listCustomers(deps: DomainDeps, actor: Actor, filter: CustomerFilter, page = 1): Promise<CustomerPage> {
  const where: PrismaNS.CustomerWhereInput = {
    AND: [
      await visibleCustomers(deps, actor),
      filter.mine ? { ownerId: actor.member.id } : {},
      filter.ownerId ? { ownerId: filter.ownerId } : {},
      filter.tier ? { tier: filter.tier } : {},
      filter.stage ? { stage: filter.stage } : {},
      filter.region ? { region: { equals: filter.region, mode: "insensitive" } } : {},
      filter.tag ? { tags: { has: filter.tag } } : {},
      filter.overdue ? { nextRevisitAt: { lt: endOfToday(deps, actor.workspace.timeZone) } } : {},
    ],
  };
  const total = await deps.prisma.customer.count({ where });
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const items = await deps.prisma.customer.findMany({
    where,
    include: { owner: true },
    orderBy: [{ nextRevisitAt: { sort: "asc", nulls: "last" } }, { normalizedName: "asc" }],
    skip: (current - 1) * PAGE_SIZE,
    take: PAGE_SIZE,
  });
  return { items, total, page: current, pages };
}

export async function customerCard(deps: DomainDeps, customer: CustomerWithOwner) {
  const [interactions, opportunities, survey, openFeedback] = await Promise.all([
    recentInteractions(deps, customer.id, 3),
    listOpportunities(deps, customer.id, true),
    deps.prisma.survey.findFirst({
      where: { customerId: customer.id, respondedAt: { not: null } },
      orderBy: { respondedAt: "desc" },
    }),
    deps.prisma.feedback.count({ where: { customerId: customer.id, status: "open" } }),
  ]);
  return { customer, interactions, opportunities, survey, openFeedback };
}

export type CustomerCard = Awaited<ReturnType<typeof customerCard>>;
