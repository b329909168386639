// A platform may send one request more than once (Feishu retries an event it thinks failed for up
// to about seven hours, Slack an event for minutes): the first delivery claims its id, and a repeat
// finds the claim and does nothing. Claims are kept a week, then pruned.
import type { DomainDeps } from "./deps.ts";
import { isUniqueViolation } from "./errors.ts";

/** Long after any platform repeats a delivery. */
export const DELIVERY_RETENTION_DAYS = 7;
// Rows deleted by one statement: each is short, so pruning never holds up the commands writing claims.
const PRUNE_BATCH = 5_000;

/** Claims a delivery; false when it was claimed before (this is a repeat). */
export async function claimDelivery(deps: DomainDeps, workspaceId: string, key: string): Promise<boolean> {
  try {
    await deps.prisma.delivery.create({ data: { workspaceId, key, createdAt: deps.clock.now() } });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** Lets a delivery that failed for a reason of ours run when the platform sends it again. */
export async function releaseDelivery(deps: DomainDeps, workspaceId: string, key: string): Promise<void> {
  await deps.prisma.delivery.deleteMany({ where: { workspaceId, key } });
}

/** Deletes the claims older than the retention, in short batches; stops early when `signal` aborts. */
export async function pruneDeliveries(deps: DomainDeps, signal?: AbortSignal): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - DELIVERY_RETENTION_DAYS * 86_400_000);
  let pruned = 0;
  for (;;) {
    const deleted = await deps.prisma.$executeRaw`
      delete from "Delivery" where "id" in (
        select "id" from "Delivery" where "createdAt" < ${before} order by "createdAt" limit ${PRUNE_BATCH})`;
    pruned += deleted;
    if (deleted < PRUNE_BATCH || signal?.aborted) return pruned;
  }
}
