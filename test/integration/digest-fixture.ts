// A team's fortnight, written straight into the database with exact times, so that the digest's
// figures can be worked out by hand. Times are Shanghai local (UTC+8); the reported week is
// Monday 2026-11-16 to Sunday 2026-11-22, the week before it 2026-11-09 to 2026-11-15.
import { createHash, randomUUID } from "node:crypto";
import { normalizeName } from "../../src/domain/names.ts";
import type { Member, Prisma, Tier, Workspace } from "../../src/generated/prisma/client.ts";
import type { World } from "../support/world.ts";

/** Local Shanghai wall-clock time as an instant. */
export const sh = (local: string) => new Date(`${local.replace(" ", "T")}:00+08:00`);

export interface Team {
  ws: Workspace;
  ada: Member;
  carol: Member;
  alice: Member;
  bob: Member;
  erin: Member;
  dave: Member;
  feedbackIds: Record<string, string>;
}

export async function buildFortnight(world: World, locale = "en"): Promise<Team> {
  const prisma = world.db.prisma;
  const ws = await world.workspace({ locale });
  const ada = await world.member(ws, "ada", "admin");
  const carol = await world.member(ws, "carol", "manager");
  const alice = await world.member(ws, "alice", "rep", carol);
  const bob = await world.member(ws, "bob", "rep", carol);
  const erin = await world.member(ws, "erin", "manager");
  const dave = await world.member(ws, "dave", "rep", erin);

  const customer = async (name: string, owner: Member, tier: Tier, created: string, touches: string[], nextRevisit: string) => {
    const c = await prisma.customer.create({
      data: {
        workspaceId: ws.id,
        name,
        normalizedName: normalizeName(name),
        tier,
        ownerId: owner.id,
        createdAt: sh(created),
        lastContactAt: touches.length ? sh(touches.at(-1) as string) : null,
        nextRevisitAt: sh(nextRevisit),
      },
    });
    for (const [i, at] of touches.entries()) {
      await prisma.interaction.create({
        data: {
          workspaceId: ws.id,
          customerId: c.id,
          authorId: owner.id,
          kind: "visit",
          summary: "visited",
          occurredAt: sh(at),
          source: "test",
          sourceRef: `${c.id}:${i}`,
        },
      });
    }
    return c;
  };
  // Revisits (key every 7 days, normal 30, prospect 14).
  const acme = await customer(
    "Acme",
    alice,
    "key",
    "2026-10-01 10:00",
    ["2026-11-02 10:00", "2026-11-10 15:00", "2026-11-17 11:00", "2026-11-20 09:00"],
    "2026-11-27 09:00",
  );
  const globex = await customer("Globex", alice, "normal", "2026-10-01 10:00", ["2026-10-19 10:00"], "2026-11-18 10:00");
  const initech = await customer(
    "Initech",
    bob,
    "key",
    "2026-11-05 10:00",
    ["2026-11-12 09:00", "2026-11-19 18:00"],
    "2026-11-26 18:00",
  );
  const hooli = await customer("Hooli", bob, "prospect", "2026-10-20 10:00", [], "2026-11-03 10:00");
  await customer(
    "Wayne",
    bob,
    "key",
    "2026-11-01 10:00",
    ["2026-11-08 10:00", "2026-11-11 10:00", "2026-11-16 10:00"],
    "2026-11-23 10:00",
  );
  await customer("Stark", bob, "key", "2026-11-01 10:00", ["2026-11-10 10:00", "2026-11-13 10:00"], "2026-11-20 10:00");
  const umbrella = await customer("Umbrella", dave, "key", "2026-11-01 10:00", [], "2026-11-08 10:00");

  const survey = async (
    c: { id: string },
    created: string,
    answer?: { at: string; csat: number; nps: number; comment?: string },
  ) =>
    prisma.survey.create({
      data: {
        workspaceId: ws.id,
        customerId: c.id,
        tokenHash: createHash("sha256").update(randomUUID()).digest("hex"),
        createdAt: sh(created),
        expiresAt: new Date(sh(created).getTime() + 30 * 86_400_000),
        ...(answer ? { respondedAt: sh(answer.at), csat: answer.csat, nps: answer.nps, comment: answer.comment ?? null } : {}),
      },
    });
  await survey(acme, "2026-11-16 10:00", { at: "2026-11-17 10:00", csat: 5, nps: 10 });
  await survey(globex, "2026-11-17 10:00", { at: "2026-11-18 10:00", csat: 2, nps: 3, comment: "Invoices keep arriving late" });
  await survey(initech, "2026-11-18 10:00", { at: "2026-11-20 10:00", csat: 4, nps: 8 });
  await survey(hooli, "2026-11-19 10:00");
  await survey(umbrella, "2026-11-18 10:00", { at: "2026-11-19 10:00", csat: 1, nps: 0, comment: "<script>alert(1)</script>" });
  await survey(acme, "2026-11-05 10:00", { at: "2026-11-16 09:00", csat: 4, nps: 9 });
  await survey(acme, "2026-11-10 10:00", { at: "2026-11-11 10:00", csat: 4, nps: 9 });
  await survey(globex, "2026-11-12 10:00", { at: "2026-11-16 10:00", csat: 3, nps: 7 });
  await survey(initech, "2026-11-13 10:00");

  const event = (entity: "customer" | "opportunity", entityId: string, action: string, at: string, data: Prisma.InputJsonValue) =>
    prisma.auditEvent.create({
      data: { workspaceId: ws.id, actorId: alice.id, action, entity, entityId, data, createdAt: sh(at) },
    });
  // Lifecycle changes.
  await event("customer", acme.id, "customer.edit", "2026-11-17 12:00", {
    changes: { stage: "current" },
    fromStage: "prospective",
  });
  await event("customer", globex.id, "customer.lost", "2026-11-19 12:00", { from: "current", tier: "normal", reason: null });
  await event("customer", initech.id, "customer.stage", "2026-11-18 12:00", { from: "potential", to: "prospective" });
  await event("customer", initech.id, "customer.edit", "2026-11-20 12:00", {
    changes: { stage: "current" },
    fromStage: "prospective",
  });
  await event("customer", hooli.id, "customer.edit", "2026-11-12 12:00", {
    changes: { stage: "prospective" },
    fromStage: "potential",
  });
  await event("customer", umbrella.id, "customer.lost", "2026-11-18 12:00", { from: "current" });
  await event("customer", acme.id, "customer.edit", "2026-11-18 12:00", { changes: { region: "north" } });

  // The funnel.
  const deal = async (
    c: { id: string },
    title: string,
    amount: string,
    currency: string,
    created: string,
    rest: Partial<Prisma.OpportunityUncheckedCreateInput>,
  ) =>
    prisma.opportunity.create({
      data: { workspaceId: ws.id, customerId: c.id, title, amount, currency, createdAt: sh(created), ...rest },
    });
  const dashboards = await deal(acme, "Dashboards", "50000", "CNY", "2026-11-02 10:00", { stage: "commitment" });
  await event("opportunity", dashboards.id, "opportunity.stage", "2026-11-10 12:00", { from: "meet", to: "quote" });
  await event("opportunity", dashboards.id, "opportunity.stage", "2026-11-18 12:00", { from: "quote", to: "commitment" });
  await deal(initech, "Licences", "20000", "CNY", "2026-11-11 10:00", { stage: "meet" });
  const support = await deal(globex, "Support", "10000", "CNY", "2026-11-03 10:00", {
    stage: "quote",
    status: "lost",
    closedAt: sh("2026-11-19 12:00"),
  });
  await event("opportunity", support.id, "opportunity.lost", "2026-11-19 12:00", { stage: "quote" });
  await deal(initech, "Hardware", "30000", "CNY", "2026-11-17 10:00", { stage: "needs" });
  const training = await deal(acme, "Training", "8000", "USD", "2026-11-05 10:00", {
    stage: "payment",
    status: "won",
    closedAt: sh("2026-11-20 12:00"),
  });
  await event("opportunity", training.id, "opportunity.stage", "2026-11-12 12:00", { from: "commitment", to: "acceptance" });
  await event("opportunity", training.id, "opportunity.won", "2026-11-20 12:00", { stage: "acceptance" });
  await deal(umbrella, "Everything", "99999", "CNY", "2026-11-10 10:00", { stage: "quote" });

  // Feedback.
  const feedbackIds: Record<string, string> = {};
  const feedback = async (key: string, c: { id: string }, owner: Member, created: string, resolved?: string) => {
    const f = await prisma.feedback.create({
      data: {
        workspaceId: ws.id,
        customerId: c.id,
        ownerId: owner.id,
        text: `${key}: complaint`,
        createdAt: sh(created),
        ...(resolved ? { status: "resolved" as const, resolvedAt: sh(resolved), resolution: "handled" } : {}),
      },
    });
    feedbackIds[key] = f.id;
  };
  await feedback("F1", acme, alice, "2026-11-10 10:00", "2026-11-12 10:00");
  await feedback("F2", globex, alice, "2026-11-14 10:00", "2026-11-17 16:00");
  await feedback("F3", initech, bob, "2026-11-18 10:00", "2026-11-19 10:00");
  await feedback("F4", hooli, bob, "2026-11-20 10:00");
  await feedback("F5", acme, alice, "2026-11-03 10:00");
  await feedback("F6", umbrella, dave, "2026-11-18 10:00");
  return { ws, ada, carol, alice, bob, erin, dave, feedbackIds };
}
