// Sends recorded nudges through the workspace's platform: claim, send, mark; retry with backoff.
import type { DomainDeps } from "../domain/deps.ts";
import { claimDue, markFailedAttempt, markSent, releaseClaims } from "../domain/nudges/store.ts";
import type { Member, Nudge, Workspace } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import { DeliveryError, type Messenger, type SendOptions } from "../platforms/types.ts";
import { withDelivery } from "../request-context.ts";
import { renderNudge } from "./render.ts";
import { sendSurveyNudge } from "./survey-sender.ts";

export interface DeliveryDeps {
  deps: DomainDeps;
  logger: Logger;
  metrics?: Metrics | undefined;
  /** Aborted when the process is shutting down: the nudges being sent finish, the rest wait. */
  signal?: AbortSignal | undefined;
}

export interface DeliveryStats {
  sent: number;
  retrying: number;
  failed: number;
}

// Nudges of a batch in flight at once. Each waits mostly on the platform (a DM is a round trip
// to Slack or Feishu, often two) and on its own record: one at a time, a morning of 2,000 DMs took
// minutes. Each DM goes to a channel of its own, so a few at once stay far inside the platforms'
// rate limits, and a 429 is waited out by each call as it comes.
const IN_FLIGHT = 4;

/** Sends every nudge whose turn has come, a claimed batch at a time, until none is left. */
export async function deliverPending(d: DeliveryDeps, workspace: Workspace, messenger: Messenger): Promise<DeliveryStats> {
  const stats: DeliveryStats = { sent: 0, retrying: 0, failed: 0 };
  for (;;) {
    const batch = await claimDue(d.deps, workspace.id);
    if (batch.length === 0) return stats;
    const recipients = new Map(
      (await d.deps.prisma.member.findMany({ where: { id: { in: batch.map((n) => n.recipientId) } } })).map((m) => [m.id, m]),
    );
    let next = 0;
    // A nudge whose outcome could not even be recorded (the database gone) stops the batch: the
    // other senders finish the nudge in hand and take no more, and the error is thrown once all
    // have, so nothing is still sending after the sweep has failed. The rest stay claimed until
    // their claims expire and a later sweep takes them.
    let stopped: { error: unknown } | undefined;
    const sender = async () => {
      while (next < batch.length && !stopped && !d.signal?.aborted) {
        const nudge = batch[next++] as Nudge;
        try {
          // The nudge's id names every log line about its sending, the platform's API calls included.
          const outcome = await withDelivery(`nudge:${nudge.id}`, () =>
            deliverOne(d, workspace, messenger, nudge, recipients.get(nudge.recipientId)),
          );
          stats[outcome] += 1;
        } catch (error) {
          stopped ??= { error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, batch.length) }, sender));
    if (stopped) throw stopped.error;
    if (d.signal?.aborted) {
      // Those not yet begun are handed back rather than left claimed, so that the next sweep (any
      // replica's) takes them at once; those in flight were finished.
      await releaseClaims(d.deps, batch.slice(next));
      return stats;
    }
  }
}

// Claims count attempts: a nudge claimed before may have gone out under a claim whose sender died
// between sending and recording it, so the platform is asked to look for that copy first.
function sendOptions(nudge: Nudge): SendOptions {
  return { idempotencyKey: nudge.id, mayHaveBeenSentSince: nudge.attempts > 1 ? nudge.createdAt : undefined };
}

async function deliverOne(
  d: DeliveryDeps,
  workspace: Workspace,
  messenger: Messenger,
  nudge: Nudge,
  recipient: Member | undefined,
): Promise<keyof DeliveryStats> {
  // A survey link is not a rendered DM: it makes its survey and goes to the customer's channel.
  const sendsItself = nudge.kind === "survey";
  const reply = recipient && !sendsItself ? renderNudge(workspace, recipient, nudge) : null;
  if (!recipient || (!reply && !sendsItself)) {
    await markFailedAttempt(d.deps, nudge, {
      message: recipient ? `no renderer for ${nudge.kind}` : "recipient is gone",
      retryable: false,
    });
    d.metrics?.nudges.inc({ kind: nudge.kind, outcome: "failed" });
    return "failed";
  }
  try {
    if (reply) await messenger.sendDirect(workspace, recipient, reply, sendOptions(nudge));
    else await sendSurveyNudge(d.deps, workspace, recipient, nudge, messenger);
    await markSent(d.deps, nudge);
    d.metrics?.nudges.inc({ kind: nudge.kind, outcome: "sent" });
    return "sent";
  } catch (error) {
    const failure =
      error instanceof DeliveryError
        ? { message: `${error.code}: ${error.message}`, retryable: error.retryable, retryAfterMs: error.retryAfterMs }
        : { message: (error as Error).message ?? String(error), retryable: true };
    const result = await markFailedAttempt(d.deps, nudge, failure);
    d.logger.warn(
      { nudge: nudge.id, kind: nudge.kind, attempt: nudge.attempts, error: failure.message, result },
      "nudge not delivered",
    );
    d.metrics?.nudges.inc({ kind: nudge.kind, outcome: result === "retry" ? "retried" : "failed" });
    return result === "retry" ? "retrying" : "failed";
  }
}
