// The Nudge table as the ledger of reminders: each is recorded before it is sent, claimed by one
// sender at a time, and marked sent or failed, so that none goes out twice and none is lost.
import type { Nudge } from "../../generated/prisma/client.ts";
import type { DomainDeps } from "../deps.ts";
import { utcNow } from "../sql.ts";
import type { PlannedNudge } from "./plan.ts";

/** How long a claim lasts: a sender that dies mid-send frees the nudge for another after this. */
export const CLAIM_MS = 2 * 60_000;
export const MAX_ATTEMPTS = 6;

const RECORD_BATCH = 50;

/** Records planned nudges; those already recorded for the same recipient, day and kind are left alone. */
export async function recordNudges(deps: DomainDeps, planned: PlannedNudge[]): Promise<number> {
  let created = 0;
  // Plain SQL, a batch at a time: the ORM's path allocates tens of kilobytes per row, which a
  // sweep of thousands of reminders turns into a heap many times the size of what it records.
  for (let i = 0; i < planned.length; i += RECORD_BATCH) {
    const rows = JSON.stringify(planned.slice(i, i + RECORD_BATCH));
    created += await deps.prisma.$executeRaw`
      insert into "Nudge" ("id", "workspaceId", "kind", "recipientId", "subjectKey", "day", "payload", "createdAt", "updatedAt")
      select gen_random_uuid(), n."workspaceId", n."kind", n."recipientId", n."subjectKey", n."day", n."payload", ${utcNow}, ${utcNow}
      from jsonb_to_recordset(${rows}::jsonb)
        as n("workspaceId" uuid, "kind" "NudgeKind", "recipientId" uuid, "subjectKey" text, "day" text, "payload" jsonb)
      on conflict ("recipientId", "subjectKey", "day", "kind") do nothing`;
  }
  return created;
}

/** How many nudges one sender claims at a time: small enough to send well within CLAIM_MS. */
export const CLAIM_BATCH = 25;

/**
 * Takes up to CLAIM_BATCH pending nudges whose turn has come, oldest first, for sending. Only one
 * sender gets each: the update matches only nudges still pending and unclaimed, and the claim
 * (nextAttemptAt moved into the future) expires after CLAIM_MS if the sender dies.
 */
export async function claimDue(deps: DomainDeps, workspaceId: string): Promise<Nudge[]> {
  const now = deps.clock.now();
  const leaseUntil = new Date(now.getTime() + CLAIM_MS);
  // Rows another sender is claiming at this moment are skipped rather than waited for.
  const claimed = await deps.prisma.$queryRaw<Nudge[]>`
    with claimed as (
      update "Nudge" set "nextAttemptAt" = ${leaseUntil}, "attempts" = "attempts" + 1, "updatedAt" = ${utcNow}
      where "id" in (
        select "id" from "Nudge"
        where "workspaceId" = ${workspaceId}::uuid and "status" = 'pending'
          and ("nextAttemptAt" is null or "nextAttemptAt" <= ${now})
        order by "createdAt" limit ${CLAIM_BATCH}
        for update skip locked
      )
      and "status" = 'pending' and ("nextAttemptAt" is null or "nextAttemptAt" <= ${now})
      returning *
    )
    select * from claimed order by "createdAt", "id"`;
  return claimed;
}

/** Hands claimed nudges back unsent (their sender is shutting down), as if they had not been claimed. */
export async function releaseClaims(deps: DomainDeps, nudges: Pick<Nudge, "id">[]): Promise<void> {
  if (nudges.length === 0) return;
  await deps.prisma.nudge.updateMany({
    where: { id: { in: nudges.map((n) => n.id) }, status: "pending" },
    data: { nextAttemptAt: null, attempts: { decrement: 1 } },
  });
}

export async function markSent(deps: DomainDeps, nudge: Nudge): Promise<void> {
  await deps.prisma.$executeRaw`
    update "Nudge" set "status" = 'sent', "sentAt" = ${deps.clock.now()}, "nextAttemptAt" = null, "lastError" = null,
                       "updatedAt" = ${utcNow}
    where "id" = ${nudge.id}::uuid`;
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
