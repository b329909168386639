// The command thread: runs commands on a database pool of its own and answers the main thread
// with their replies. It writes no standard output itself; its log lines go to the main thread.
import { AsyncLocalStorage } from "node:async_hooks";
import { execFileSync } from "node:child_process";
import { readFileSync, readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import type { Core } from "../app.ts";
import { isConfigured } from "../config.ts";
import { openDatabase } from "../db/client.ts";
import { createLogger, handedOver } from "../logger.ts";
import { createMetrics } from "../metrics.ts";
import { inScope } from "../request-context.ts";
import type { FromThread, Platform, ThreadData, ToThread } from "./protocol.ts";
import { toWire } from "./protocol.ts";

type Host = Record<string, (...args: never[]) => Promise<unknown>>;

const port = parentPort;
if (!port) throw new Error("src/command-thread/worker.ts runs as a worker thread");
const send = (message: FromThread) => port.postMessage(message);
const { config, logLevel } = workerData as ThreadData;
const output = handedOver((lines) => send({ type: "log", lines }));
const logger = createLogger(logLevel, output);
const metrics = createMetrics({ processMetrics: false });
// A command's time is its request's arrival on the main thread, by the server's clock.
const commandTime = new AsyncLocalStorage<number>();
const clock = { now: () => new Date(commandTime.getStore() ?? Date.now()) };

/**
 * Commands are throughput work; acknowledging requests before the platforms' deadlines is not. On
 * a busy machine the thread that acknowledges should get a core first, so this thread lowers its
 * own priority (Linux: a thread is scheduled on its own, by its id in /proc/thread-self): nice 10,
 * and Linux's idle class, which any thread may enter (set with util-linux's or busybox's `chrt`)
 * but may not leave without privileges. Nice alone is not enough on two cores: Linux places a
 * woken thread on an idle core, and a core running a nice thread is not one, so a request queued
 * behind whatever ran on the other core while this thread held its own; a core running only
 * idle-class threads counts as idle (README, "The command thread", for what it costs).
 */
function yieldToTheMainThread(): string {
  let tid: number;
  try {
    tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
  } catch {
    return "the process's (not Linux)";
  }
  // Never the process's own id: that would lower the main thread with it.
  if (!(tid > 0) || tid === process.pid) return "the process's";
  let niced = true;
  try {
    setPriority(tid, THREAD_NICENESS);
  } catch (error) {
    niced = false;
    logger.warn({ err: error }, "command thread: could not lower its priority");
  }
  if (config.commandThreadPriority === "idle") {
    try {
      execFileSync("chrt", ["-i", "-p", "0", String(tid)], { stdio: ["ignore", "ignore", "pipe"], timeout: 5_000 });
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
      logger.warn({ err: error, stderr }, "command thread: chrt could not put it in the idle scheduling class");
    }
  }
  const idle = policyOfThisThread() === SCHED_IDLE;
  if (idle) return niced ? "the idle class" : "the idle class (not niced)";
  return niced ? `nice ${THREAD_NICENESS}` : "the process's";
}

/** What Linux says, not what chrt did: the 41st field of the thread's stat line (undefined if unreadable; never throws, since the thread must start). */
function policyOfThisThread(): number | undefined {
  try {
    const stat = readFileSync("/proc/thread-self/stat", "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[38]);
  } catch {
    return undefined;
  }
}
const THREAD_NICENESS = 10;
const SCHED_IDLE = 5;
const scheduled = yieldToTheMainThread();

const started = (async () => {
  if (!config.databaseUrl) throw new Error("the command thread needs DATABASE_URL (PostgreSQL)");
  const db = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
    // Commands' statements are short and keyed by ids: prepared once, planned once (not the sweep's).
    preparedStatements: config.preparedStatements,
    // A command stuck behind a lock is rolled back and answered "try again", not held for ever.
    statementTimeoutMs: config.commandStatementTimeoutMs,
  });
  const core: Core = { config, db, deps: { prisma: db.prisma, clock, publicUrl: config.publicUrl }, logger, metrics };
  const hosts: Partial<Record<Platform, Host>> = {};
  if (isConfigured(config.slack)) {
    const { slackCommandHost } = await import("../platforms/slack/commands.ts");
    hosts.slack = slackCommandHost(core, config.slack) as unknown as Host;
  }
  if (isConfigured(config.feishu)) {
    const { feishuCommandHost } = await import("../platforms/feishu/commands.ts");
    hosts.feishu = feishuCommandHost(core, config.feishu) as unknown as Host;
  }
  return { db, hosts };
})();
// A thread that cannot start (the database unreachable) ends; the main thread starts another
// for the next command, and answers the commands waiting on this one with an apology.
started.then(
  () => {
    logger.info({ priority: scheduled }, "command thread: ready");
    send({ type: "ready" });
  },
  (error: unknown) => {
    logger.error({ err: error }, "command thread: could not start");
    output.flush();
    process.exit(1);
  },
);

async function call(message: Extract<ToThread, { type: "call" }>): Promise<unknown> {
  const { hosts } = await started;
  const run = hosts[message.platform]?.[message.op];
  if (!run) throw new Error(`the command thread has no ${message.platform}.${message.op}`);
  return commandTime.run(message.now, () => inScope(message.scope, () => run(...(message.args as never[]))));
}

/** Answers a call; a result that cannot be copied to the main thread is answered as an error instead. */
function answer(id: number, message: FromThread): void {
  try {
    send(message);
  } catch (error) {
    logger.error({ err: error }, "command thread: a result could not be handed back");
    send({ type: "error", id, error: toWire(error) });
  }
}

port.on("message", (message: ToThread) => {
  switch (message.type) {
    case "call":
      call(message).then(
        (value) => answer(message.id, { type: "result", id: message.id, value }),
        (error: unknown) => {
          // Logged here in full; the main thread gets its name, message, code and stack.
          logger.warn({ err: error, platform: message.platform, op: message.op }, "command thread: call failed");
          answer(message.id, { type: "error", id: message.id, error: toWire(error) });
        },
      );
      return;
    case "metrics":
      metrics.registry.getMetricsAsJSON().then(
        (value) => answer(message.id, { type: "metrics", id: message.id, value }),
        (error: unknown) => answer(message.id, { type: "error", id: message.id, error: toWire(error) }),
      );
      return;
    case "close":
      void started
        .then(({ db }) => db.close())
        .catch((error: unknown) => logger.error({ err: error }, "command thread: closing the database failed"))
        .finally(() => {
          output.flush();
          port.close();
        });
      return;
  }
});
