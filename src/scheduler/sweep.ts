// One pass over the workspaces: plan today's nudges (once, under a per-workspace lock), record
// them, and deliver what is pending. Safe to run at any time, from any number of replicas.
import type { Database } from "../db/client.ts";
import { type PlannedNudge, planSweep, previewSweep, type SweepPlan } from "../domain/nudges/plan.ts";
import { recordNudges } from "../domain/nudges/store.ts";
import type { Platform, Workspace } from "../generated/prisma/client.ts";
import type { Messenger } from "../platforms/types.ts";
import { withDelivery } from "../request-context.ts";
import { type DeliveryDeps, type DeliveryStats, deliverPending } from "./deliver.ts";

export interface SweepDeps extends DeliveryDeps {
  db: Database;
  messengers: Partial<Record<Platform, Messenger>>;
}

export interface WorkspaceSweep {
  workspace: Workspace;
  plan: (SweepPlan & { nudges?: PlannedNudge[] }) | null;
  recorded: number;
  delivery: DeliveryStats | null;
  error?: string;
}

/** Sweeps every workspace whose platform can send; one workspace's failure stops no other. */
export function sweepAll(d: SweepDeps, options: { dryRun?: boolean; workspaceIds?: string[] } = {}): Promise<WorkspaceSweep[]> {
  // A sweep is a request of its own: its log lines share one request id.
  return withDelivery(undefined, () => sweepEach(d, options));
}

async function sweepEach(d: SweepDeps, options: { dryRun?: boolean; workspaceIds?: string[] }): Promise<WorkspaceSweep[]> {
  const sendable = Object.keys(d.messengers) as Platform[];
  const workspaces = await d.deps.prisma.workspace.findMany({
    where: {
      ...(options.dryRun ? {} : { platform: { in: sendable } }),
      ...(options.workspaceIds ? { id: { in: options.workspaceIds } } : {}),
    },
    orderBy: { createdAt: "asc" },
  });
  const results: WorkspaceSweep[] = [];
  for (const workspace of workspaces) {
    if (d.signal?.aborted) break;
    try {
      results.push(await sweepWorkspace(d, workspace, options.dryRun ?? false));
    } catch (error) {
      d.logger.error({ err: error, workspace: workspace.id }, "sweep failed for a workspace");
      results.push({ workspace, plan: null, recorded: 0, delivery: null, error: (error as Error).message });
    }
  }
  return results;
}

export async function sweepWorkspace(d: SweepDeps, workspace: Workspace, dryRun: boolean): Promise<WorkspaceSweep> {
  if (dryRun) return { workspace, plan: await previewSweep(d.deps, workspace), recorded: 0, delivery: null };
  const started = Date.now();
  // Planning under the lock spares the other replicas the work; the unique key on Nudge is what
  // guarantees one nudge per recipient, kind and day even if two plans raced.
  const locked = await d.db.withLock(`sweep:${workspace.id}`, async () => {
    let recorded = 0;
    const plan = await planSweep(d.deps, workspace, async (batch) => {
      recorded += await recordNudges(d.deps, batch);
    });
    return { plan, recorded };
  });
  const messenger = d.messengers[workspace.platform];
  const delivery = messenger ? await deliverPending(d, workspace, messenger) : null;
  const seconds = (Date.now() - started) / 1000;
  d.metrics?.sweepDuration.observe(seconds);
  const recorded = locked.ran ? locked.value.recorded : 0;
  // A line when the sweep did something; the catch-up pass runs every few minutes and mostly does not.
  const busy = recorded + (delivery ? delivery.sent + delivery.retrying + delivery.failed : 0) > 0;
  d.logger[busy ? "info" : "debug"](
    { workspace: workspace.id, planned: locked.ran, recorded, ...delivery, seconds },
    "sweep: workspace swept",
  );
  return { workspace, plan: locked.ran ? locked.value.plan : null, recorded, delivery };
}
