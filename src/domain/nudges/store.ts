// The Nudge table as the ledger of reminders: each is recorded before it is sent, claimed by one
// sender at a time, and marked sent or failed, so that none goes out twice and none is lost.
import type { Nudge } from "../../generated/prisma/client.ts";
import type { DomainDeps } from "../deps.ts";
import type { PlannedNudge } from "./plan.ts";

/** How long a claim lasts: a sender that dies mid-send frees the nudge for another after this. */
export const CLAIM_MS = 2 * 60_000;
export const MAX_ATTEMPTS = 6;

/** Records planned nudges; those already recorded for the same recipient, day and kind are left alone. */
export async function recordNudges(deps: DomainDeps, planned: PlannedNudge[]): Promise<number> {
  let created = 0;
  for (let i = 0; i < planned.length; i += 500) {
    const result = await deps.prisma.nudge.createMany({ data: planned.slice(i, i + 500), skipDuplicates: true });
    created += result.count;
  }
  return created;
}

/** Pending nudges whose turn has come, oldest first. */
export async function duePending(deps: DomainDeps, workspaceId: string, limit = 200): Promise<Nudge[]> {
  const now = deps.clock.now();
  return deps.prisma.nudge.findMany({
    where: { workspaceId, status: "pending", OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
    orderBy: { createdAt: "asc" },
    take: limit,
  });
}

/**
 * Takes a nudge for sending. Only one sender wins: the update matches only while the nudge is
 * still pending and unclaimed, and a claim expires after CLAIM_MS.
 */
export async function claimNudge(deps: DomainDeps, nudge: Nudge): Promise<Nudge | null> {
  const now = deps.clock.now();
  const { count } = await deps.prisma.nudge.updateMany({
    where: { id: nudge.id, status: "pending", OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
    data: { nextAttemptAt: new Date(now.getTime() + CLAIM_MS), attempts: { increment: 1 } },
  });
  if (count === 0) return null;
  return deps.prisma.nudge.findUnique({ where: { id: nudge.id } });
}

export async function markSent(deps: DomainDeps, nudge: Nudge): Promise<void> {
  await deps.prisma.nudge.update({
    where: { id: nudge.id },
    data: { status: "sent", sentAt: deps.clock.now(), nextAttemptAt: null, lastError: null },
  });
}

/** Schedules another attempt, or gives up when the error is final or attempts are used up. */
export async function markFailedAttempt(
  deps: DomainDeps,
  nudge: Nudge,
  error: { message: string; retryable: boolean; retryAfterMs?: number | undefined },
): Promise<"retry" | "failed"> {
  const final = !error.retryable || nudge.attempts >= MAX_ATTEMPTS;
  const backoff = Math.min(60 * 60_000, 30_000 * 2 ** Math.max(0, nudge.attempts - 1));
  const wait = Math.max(backoff, error.retryAfterMs ?? 0);
  await deps.prisma.nudge.update({
    where: { id: nudge.id },
    data: final
      ? { status: "failed", lastError: error.message.slice(0, 500), nextAttemptAt: null }
      : { lastError: error.message.slice(0, 500), nextAttemptAt: new Date(deps.clock.now().getTime() + wait) },
  });
  return final ? "failed" : "retry";
}
