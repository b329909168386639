// Customer feedback (客户反馈): complaints and suggestions with an owner, open until resolved with
// what was done. Items are named by the first characters of their id (#3f2a9c1d).
import type { Customer, Feedback, Member } from "../generated/prisma/client.ts";
import { assertAccess, visibleCustomers } from "./access.ts";
import { audit, byActor } from "./audit.ts";
import type { Actor, DomainDeps } from "./deps.ts";
import { UserError } from "./errors.ts";

export const MAX_FEEDBACK_LENGTH = 2_000;
export const SHORT_ID_LENGTH = 8;
const ID_PREFIX = /^#?([0-9a-f]{6,8}|[0-9a-f]{8}-[0-9a-f-]{4,27})$/i;

export type FeedbackItem = Feedback & { customer: Customer; owner: Member | null };

export function shortId(feedback: { id: string }): string {
  return `#${feedback.id.slice(0, SHORT_ID_LENGTH)}`;
}

/** Whether a word looks like a feedback id (#3f2a9c, or a whole id) rather than a customer's name. */
export function looksLikeFeedbackId(word: string): boolean {
  return ID_PREFIX.test(word.trim());
}

function checkText(text: string, missing: "feedback.textMissing" | "feedback.resolutionMissing"): string {
  const clean = text.trim();
  if (!clean) throw new UserError(missing, {}, "feedback");
  if (clean.length > MAX_FEEDBACK_LENGTH) throw new UserError("feedback.tooLong", { max: MAX_FEEDBACK_LENGTH }, "feedback");
  return clean;
}

/** Records a complaint or suggestion; the customer's owner (else the one recording it) follows it up. */
export async function recordFeedback(deps: DomainDeps, actor: Actor, customer: Customer, text: string): Promise<FeedbackItem> {
  const clean = checkText(text, "feedback.textMissing");
  await assertAccess(deps, actor, customer);
  const now = deps.clock.now();
  return deps.prisma.$transaction(async (tx) => {
    const feedback = await tx.feedback.create({
      data: {
        workspaceId: actor.workspace.id,
        customerId: customer.id,
        ownerId: customer.ownerId ?? actor.member.id,
        text: clean,
        createdAt: now,
      },
      include: { customer: true, owner: true },
    });
    await audit(
      tx,
      byActor(actor, deps.clock.now(), {
        action: "feedback.open",
        entity: "feedback",
        entityId: feedback.id,
        data: { customerId: customer.id },
      }),
    );
    return feedback;
  });
}

/** Finds the open item an id prefix names, among those the actor may see. */
export async function findFeedbackById(deps: DomainDeps, actor: Actor, ref: string): Promise<FeedbackItem | null> {
  const prefix = ref.trim().replace(/^#/, "").toLowerCase();
  const rows = await deps.prisma.$queryRaw<{ id: string }[]>`
    select f."id" from "Feedback" f
    where f."workspaceId" = ${actor.workspace.id}::uuid and f."id"::text like ${`${prefix}%`}
    order by f."createdAt" limit 2`;
  if (rows.length > 1) throw new UserError("feedback.ambiguousId", { id: ref });
  const id = rows[0]?.id;
  if (!id) return null;
  const item = await deps.prisma.feedback.findUniqueOrThrow({ where: { id }, include: { customer: true, owner: true } });
  await assertAccess(deps, actor, item.customer);
  return item;
}

/** The one open item of a customer; several are listed so the user can pick by id. */
export async function openFeedbackOf(deps: DomainDeps, customer: Customer): Promise<FeedbackItem> {
  const open = await deps.prisma.feedback.findMany({
    where: { customerId: customer.id, status: "open" },
    include: { customer: true, owner: true },
    orderBy: { createdAt: "asc" },
    take: 6,
  });
  const [first, second] = open;
  if (!first) throw new UserError("feedback.noneOpen", { name: customer.name }, "feedback");
  if (second) throw new UserError("feedback.whichOne", { name: customer.name, ids: open.map(shortId).join(", ") }, "feedback");
  return first;
}

/** Resolves an open item with what was done; resolving twice is refused, not recorded twice. */
export async function resolveFeedback(
  deps: DomainDeps,
  actor: Actor,
  item: FeedbackItem,
  resolution: string,
): Promise<FeedbackItem> {
  const clean = checkText(resolution, "feedback.resolutionMissing");
  await assertAccess(deps, actor, item.customer);
  const now = deps.clock.now();
  return deps.prisma.$transaction(async (tx) => {
    const { count } = await tx.feedback.updateMany({
      where: { id: item.id, status: "open" },
      data: { status: "resolved", resolution: clean, resolvedAt: now },
    });
    if (count === 0) throw new UserError("feedback.alreadyResolved", { id: shortId(item) });
    await audit(
      tx,
      byActor(actor, deps.clock.now(), {
        action: "feedback.resolve",
        entity: "feedback",
        entityId: item.id,
        data: { customerId: item.customerId },
      }),
    );
    return tx.feedback.findUniqueOrThrow({ where: { id: item.id }, include: { customer: true, owner: true } });
  });
}

/** Open items the actor may see, oldest first, with how many there are in all. */
export async function listOpenFeedback(
  deps: DomainDeps,
  actor: Actor,
  take = 15,
): Promise<{ items: FeedbackItem[]; total: number }> {
  const where = { workspaceId: actor.workspace.id, status: "open" as const, customer: await visibleCustomers(deps, actor) };
  const [items, total] = await Promise.all([
    deps.prisma.feedback.findMany({ where, include: { customer: true, owner: true }, orderBy: { createdAt: "asc" }, take }),
    deps.prisma.feedback.count({ where }),
  ]);
  return { items, total };
}
