// Opportunities move through the eight-stage funnel and close won or lost.
import type { Customer, FunnelStage, Opportunity, Stage } from "../generated/prisma/client.ts";
import { assertAccess } from "./access.ts";
import { audit, byActor } from "./audit.ts";
import type { Actor, DomainDeps } from "./deps.ts";
import { UserError } from "./errors.ts";

export const FUNNEL: FunnelStage[] = ["meet", "discover", "confirm", "needs", "quote", "commitment", "acceptance", "payment"];

export interface NewOpportunity {
  title: string;
  amount?: string | undefined;
  currency?: string | undefined;
  expectedClose?: string | undefined;
  stage?: FunnelStage | undefined;
}

export async function openOpportunity(deps: DomainDeps, actor: Actor, customer: Customer, input: NewOpportunity) {
  await assertAccess(deps, actor, customer);
  const title = input.title.trim();
  if (!title) throw new UserError("deal.titleMissing", {}, "deal");
  const now = deps.clock.now();
  return deps.prisma.$transaction(async (tx) => {
    const opportunity = await tx.opportunity.create({
      data: {
        createdAt: now,
        workspaceId: actor.workspace.id,
        customerId: customer.id,
        ownerId: customer.ownerId ?? actor.member.id,
        title,
        stage: input.stage ?? "meet",
        amount: input.amount ?? null,
        currency: input.currency ?? "CNY",
        expectedClose: input.expectedClose ? new Date(`${input.expectedClose}T00:00:00Z`) : null,
      },
    });
    // An opportunity on a potential customer makes it a prospective one.
    if (customer.stage === "potential") {
      await tx.customer.update({ where: { id: customer.id }, data: { stage: "prospective" } });
      await auditStage(tx, actor, customer, "prospective", now);
    }
    await audit(
      tx,
      byActor(actor, now, {
        action: "opportunity.open",
        entity: "opportunity",
        entityId: opportunity.id,
        data: { customerId: customer.id, title, amount: input.amount ?? null },
      }),
    );
    return opportunity;
  });
}

/** The customer's open opportunity the user means: the only one, or the one whose title starts with `title`. */
export async function findOpenOpportunity(deps: DomainDeps, customer: Customer, title: string | undefined): Promise<Opportunity> {
  const open = await deps.prisma.opportunity.findMany({
    where: { customerId: customer.id, status: "open" },
    orderBy: { createdAt: "asc" },
  });
  const wanted = title?.trim().toLowerCase();
  const matches = wanted ? open.filter((o) => o.title.toLowerCase().startsWith(wanted)) : open;
  if (matches.length === 1 && matches[0]) return matches[0];
  if (open.length === 0) throw new UserError("deal.noneOpen", { name: customer.name }, "deal");
  if (matches.length === 0) throw new UserError("deal.notFound", { name: customer.name, title: title ?? "" }, "deal");
  throw new UserError("deal.ambiguous", { name: customer.name, titles: matches.map((o) => o.title).join(", ") }, "deal");
}

export async function moveOpportunity(
  deps: DomainDeps,
  actor: Actor,
  customer: Customer,
  opportunity: Opportunity,
  stage: FunnelStage,
) {
  await assertAccess(deps, actor, customer);
  return deps.prisma.$transaction(async (tx) => {
    const updated = await tx.opportunity.update({ where: { id: opportunity.id }, data: { stage } });
    await audit(
      tx,
      byActor(actor, deps.clock.now(), {
        action: "opportunity.stage",
        entity: "opportunity",
        entityId: opportunity.id,
        data: { from: opportunity.stage, to: stage },
      }),
    );
    return updated;
  });
}

/** Closing won makes the customer a current one; closing lost leaves the customer's stage alone. */
export async function closeOpportunity(
  deps: DomainDeps,
  actor: Actor,
  customer: Customer,
  opportunity: Opportunity,
  outcome: "won" | "lost",
) {
  await assertAccess(deps, actor, customer);
  const now = deps.clock.now();
  return deps.prisma.$transaction(async (tx) => {
    const updated = await tx.opportunity.update({
      where: { id: opportunity.id },
      data: { status: outcome, closedAt: now, ...(outcome === "won" ? { stage: "payment" } : {}) },
    });
    if (outcome === "won" && customer.stage !== "current") {
      await tx.customer.update({ where: { id: customer.id }, data: { stage: "current", lostAt: null } });
      await auditStage(tx, actor, customer, "current", now);
    }
    await audit(
      tx,
      byActor(actor, now, {
        action: `opportunity.${outcome}`,
        entity: "opportunity",
        entityId: opportunity.id,
        data: { stage: opportunity.stage },
      }),
    );
    return updated;
  });
}

/** A stage change the funnel made (not typed by anyone), recorded so the digest can count it. */
function auditStage(tx: Parameters<typeof audit>[0], actor: Actor, customer: Customer, to: Stage, at: Date) {
  return audit(tx, {
    createdAt: at,
    workspaceId: actor.workspace.id,
    actorId: actor.member.id,
    action: "customer.stage",
    entity: "customer",
    entityId: customer.id,
    data: { from: customer.stage, to },
  });
}

export async function listOpportunities(deps: DomainDeps, customerId: string, openOnly = false) {
  return deps.prisma.opportunity.findMany({
    where: { customerId, ...(openOnly ? { status: "open" as const } : {}) },
    orderBy: [{ status: "asc" }, { createdAt: "asc" }],
  });
}
