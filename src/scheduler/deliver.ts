// Sends recorded nudges through the workspace's platform: claim, send, mark; retry with backoff.
import type { DomainDeps } from "../domain/deps.ts";
import { claimNudge, duePending, markFailedAttempt, markSent } from "../domain/nudges/store.ts";
import type { Nudge, Workspace } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import { DeliveryError, type Messenger } from "../platforms/types.ts";
import { renderNudge } from "./render.ts";

export interface DeliveryDeps {
  deps: DomainDeps;
  logger: Logger;
  metrics?: Metrics | undefined;
}

export interface DeliveryStats {
  sent: number;
  retrying: number;
  failed: number;
}

export async function deliverPending(d: DeliveryDeps, workspace: Workspace, messenger: Messenger): Promise<DeliveryStats> {
  const stats: DeliveryStats = { sent: 0, retrying: 0, failed: 0 };
  for (;;) {
    const batch = await duePending(d.deps, workspace.id);
    let progressed = false;
    for (const pending of batch) {
      const nudge = await claimNudge(d.deps, pending);
      if (!nudge) continue; // another replica has it
      progressed = true;
      const outcome = await deliverOne(d, workspace, messenger, nudge);
      stats[outcome] += 1;
    }
    if (!progressed || batch.length === 0) return stats;
  }
}

async function deliverOne(d: DeliveryDeps, workspace: Workspace, messenger: Messenger, nudge: Nudge): Promise<keyof DeliveryStats> {
  const recipient = await d.deps.prisma.member.findUnique({ where: { id: nudge.recipientId } });
  const reply = recipient ? renderNudge(workspace, recipient, nudge) : null;
  if (!recipient || !reply) {
    await markFailedAttempt(d.deps, nudge, { message: recipient ? `no renderer for ${nudge.kind}` : "recipient is gone", retryable: false });
    d.metrics?.nudges.inc({ kind: nudge.kind, outcome: "failed" });
    return "failed";
  }
  try {
    await messenger.sendDirect(workspace, recipient, reply, { idempotencyKey: nudge.id });
    await markSent(d.deps, nudge);
    d.metrics?.nudges.inc({ kind: nudge.kind, outcome: "sent" });
    return "sent";
  } catch (error) {
    const failure =
      error instanceof DeliveryError
        ? { message: `${error.code}: ${error.message}`, retryable: error.retryable, retryAfterMs: error.retryAfterMs }
        : { message: (error as Error).message ?? String(error), retryable: true };
    const result = await markFailedAttempt(d.deps, nudge, failure);
    d.logger.warn({ nudge: nudge.id, kind: nudge.kind, attempt: nudge.attempts, error: failure.message, result }, "nudge not delivered");
    d.metrics?.nudges.inc({ kind: nudge.kind, outcome: result === "retry" ? "retried" : "failed" });
    return result === "retry" ? "retrying" : "failed";
  }
}
