// Scheduled work with node-cron: each workspace's morning sweep at its own hour in its own time
// zone, and a catch-up pass every few minutes that retries what failed, makes up missed ticks and
// prunes old delivery claims.
// Jobs work from the database's state, so a missed, late or doubled tick changes nothing.
import cron, { type ScheduledTask } from "node-cron";
import { pruneDeliveries } from "../domain/deliveries.ts";
import { workspaceSettings } from "../domain/workspaces.ts";
import type { Platform } from "../generated/prisma/client.ts";
import { type SweepDeps, sweepAll } from "./sweep.ts";

export const CATCH_UP = "*/5 * * * *";
const REFRESH_MS = 10 * 60_000;

export interface Scheduler {
  /** Runs a sweep now (start-up catch-up, tests, the CLI). */
  sweepNow(workspaceIds?: string[]): Promise<void>;
  /** Runs the catch-up pass now: a sweep of every workspace, then pruning old delivery claims. */
  catchUpNow(): Promise<void>;
  stop(): Promise<void>;
}

export function startScheduler(deps: SweepDeps): Scheduler {
  const hourly = new Map<string, ScheduledTask>();
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  // Stopping ends a sweep after the nudge being sent, instead of after all of them.
  const shutdown = new AbortController();
  const d: SweepDeps = { ...deps, signal: shutdown.signal };

  // Jobs run one after another in this process (none once stopped); a failure is logged, not thrown.
  const inTurn = (failure: string, job: () => Promise<void>): Promise<void> => {
    const next = running.then(async () => {
      if (!stopped) await job().catch((error: unknown) => d.logger.error({ err: error }, failure));
    });
    running = next;
    return next;
  };

  // Other replicas are kept out of a sweep by the database.
  const sweepNow = (workspaceIds?: string[]) =>
    inTurn("sweep failed", async () => {
      await sweepAll(d, workspaceIds ? { workspaceIds } : {});
    });

  const refresh = async () => {
    const sendable = Object.keys(d.messengers) as Platform[];
    const workspaces = await d.deps.prisma.workspace.findMany({ where: { platform: { in: sendable } } });
    const wanted = new Map<string, string[]>();
    for (const ws of workspaces) {
      const key = `${ws.timeZone}|${workspaceSettings(ws).nudgeHour}`;
      wanted.set(key, [...(wanted.get(key) ?? []), ws.id]);
    }
    for (const [key, task] of hourly) {
      if (!wanted.has(key)) {
        await task.destroy();
        hourly.delete(key);
      }
    }
    for (const [key, ids] of wanted) {
      const [timezone, hour] = key.split("|") as [string, string];
      await hourly.get(key)?.destroy();
      hourly.set(
        key,
        cron.schedule(`0 ${hour} * * *`, () => sweepNow(ids), { timezone, name: `sweep ${key}`, noOverlap: true, unref: true }),
      );
    }
  };

  // Delivery claims past their week go in the same pass: with nothing to prune, one index probe.
  const prune = () =>
    inTurn("pruning delivery claims failed", async () => {
      const pruned = await pruneDeliveries(d.deps, shutdown.signal);
      if (pruned > 0) d.logger.info({ pruned }, "pruned delivery claims");
    });

  const catchUpNow = async () => {
    await Promise.all([sweepNow(), prune()]);
  };
  const catchUp = cron.schedule(CATCH_UP, catchUpNow, { name: "catch-up", noOverlap: true, unref: true });
  const refresher = setInterval(
    () => void refresh().catch((error: unknown) => d.logger.error({ err: error }, "scheduler refresh failed")),
    REFRESH_MS,
  );
  refresher.unref();
  void refresh().catch((error: unknown) => d.logger.error({ err: error }, "scheduler refresh failed"));
  // A server that was down at the nudge hour sends that day's nudges when it comes back.
  void sweepNow();

  return {
    sweepNow,
    catchUpNow,
    stop: async () => {
      stopped = true;
      shutdown.abort();
      clearInterval(refresher);
      await catchUp.destroy();
      for (const task of hourly.values()) await task.destroy();
      await running;
    },
  };
}
