// The command thread, seen from the main thread. On PostgreSQL the commands' own work (finding
// the member, parsing, the domain's queries, the reply) runs in a worker thread with a database
// pool of its own, so that the main thread, which verifies and acknowledges every platform
// request within its deadline, is never queued behind it; the thread delivers the replies too,
// except a submitted form's, which the main thread answers in the form itself. A thread that ends
// unexpectedly fails the calls it held (they are answered with an apology, and nothing
// half-written stays: each command's writes are transactions) and another is started for the
// next call. The embedded database lives in one thread, so there commands run in the main thread
// (config.commandThread is off).
import { Worker } from "node:worker_threads";
import { AggregatorRegistry, Gauge, type MetricObjectWithValues, type MetricValue } from "prom-client";
import type { Config } from "../config.ts";
import type { Clock } from "../domain/time.ts";
import { type Logger, writeLines } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import { requestFields } from "../request-context.ts";
import type { PartHealth } from "../web/server.ts";
import {
  CommandInterrupted,
  type FromThread,
  fromWire,
  Overloaded,
  type Platform,
  type Request,
  type ThreadData,
  type ToThread,
} from "./protocol.ts";

// After a thread ended unexpectedly, commands are refused (with an apology) for this long and
// another is started, so that a thread that cannot start (the database down) is not restarted in a loop.
const RESTART_AFTER_MS = 1_000;
// Closing waits this long for the thread to close its pool, then ends it.
const CLOSE_WAIT_MS = 5_000;
// /metrics gives the main thread's figures alone rather than wait longer than this for the thread's.
const METRICS_WAIT_MS = 2_000;

type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  /** For a command (not a reading of the thread's metrics): performance.now() when it was handed over. */
  since?: number;
}

/** An interface whose every operation is run by the thread: `platform`'s host there has the same one. */
export function threadProxy<T>(thread: Pick<CommandThread, "call">, platform: Platform, ops: readonly (keyof T & string)[]): T {
  return Object.fromEntries(ops.map((op) => [op, (...args: unknown[]) => thread.call(platform, op, args)])) as T;
}

export class CommandThread {
  private worker: Worker | undefined;
  private state: ReturnType<PartHealth> = { status: "starting" };
  /** Between a thread's unexpected end and the start of the next. */
  private paused = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** The last reading of the running thread's counters, and the sum of those of the threads that ended. */
  private lastReading: MetricsJson = [];
  private retired: MetricsJson = [];
  private closing: Promise<void> | undefined;

  constructor(private readonly deps: { config: Config; logger: Logger; metrics: Metrics; clock: Clock }) {
    deps.metrics.addSource(() => this.metrics());
    const waiting = () => [...this.pending.values()].flatMap(({ since }) => (since === undefined ? [] : [since]));
    new Gauge({
      name: "crm_command_thread_waiting",
      help: "Commands handed to the command thread and not yet answered (waiting their turn or at work).",
      registers: [deps.metrics.registry],
      collect() {
        this.set(waiting().length);
      },
    });
    new Gauge({
      name: "crm_command_thread_oldest_wait_seconds",
      help: "How long the oldest command the command thread holds has waited (0 when it holds none).",
      registers: [deps.metrics.registry],
      collect() {
        const [oldest] = waiting();
        this.set(oldest === undefined ? 0 : (performance.now() - oldest) / 1000);
      },
    });
  }

  /** Starts the thread now rather than at the first command. */
  start(): void {
    this.ensure();
  }

  /** True while a call made now would be refused: COMMAND_BACKLOG calls are waiting or at work. */
  full(): boolean {
    return this.pending.size >= this.deps.config.commandBacklog;
  }

  /** Runs `platform`'s `op` in the thread; resolves with its result or rejects with its error. */
  call(platform: Platform, op: string, args: unknown[]): Promise<unknown> {
    if (this.full()) {
      return Promise.reject(new Overloaded(`${this.pending.size} commands are waiting for the command thread`));
    }
    return this.request(
      { type: "call", platform, op, args, scope: requestFields(), now: this.deps.clock.now().getTime() },
      performance.now(),
    );
  }

  /**
   * The thread's counters, for /metrics: those of the threads that ended before it are kept and
   * added, so that a counter summed over threads never goes down (Prometheus would read a reset).
   */
  private async metrics(): Promise<MetricsJson> {
    let current: MetricsJson = [];
    if (this.worker && this.state.status === "ok") {
      const reading = this.request<MetricsJson>({ type: "metrics" });
      const timer = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), METRICS_WAIT_MS).unref());
      const read = await Promise.race([reading.catch(() => undefined), timer]);
      if (read) {
        current = read;
        this.lastReading = read;
      }
    }
    return this.retired.length === 0 ? current : AggregatorRegistry.aggregate([this.retired, current]).getMetricsAsJSON();
  }

  health(): ReturnType<PartHealth> {
    return this.state;
  }

  /** After the last call has been answered: the thread closes its pool and ends. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const worker = this.worker;
      if (!worker) return;
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.postMessage({ type: "close" } satisfies ToThread);
      const timer = setTimeout(() => void worker.terminate(), CLOSE_WAIT_MS);
      await exited;
      clearTimeout(timer);
    })();
    return this.closing;
  }

  private request<T>(message: Request, since?: number): Promise<T> {
    if (this.closing) return Promise.reject(new Error("the command thread is closing"));
    const worker = this.ensure();
    if (!worker) return Promise.reject(new Error("the command thread is restarting"));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      // Arguments that cannot be copied to the thread throw here, before anything waits on them.
      worker.postMessage({ ...message, id } satisfies ToThread);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, ...(since === undefined ? {} : { since }) });
    });
  }

  private ensure(): Worker | undefined {
    if (this.worker) return this.worker;
    if (this.paused) return undefined;
    const { config, logger } = this.deps;
    const fromSource = import.meta.url.endsWith(".ts");
    const data: ThreadData = {
      config,
      logLevel: logger.level,
      ...(fromSource ? { entry: new URL("./worker.ts", import.meta.url).href } : {}),
    };
    const worker = new Worker(new URL(fromSource ? "./source.mjs" : "./worker.js", import.meta.url), { workerData: data });
    this.worker = worker;
    this.state = { status: "starting" };
    worker.on("message", (message: FromThread) => this.receive(message));
    worker.on("error", (error) => logger.error({ err: error }, "command thread: failed"));
    worker.on("exit", (code) => {
      if (this.worker === worker) this.worker = undefined;
      const lost = [...this.pending.values()];
      this.pending.clear();
      for (const p of lost) p.reject(new CommandInterrupted(`the command thread stopped (exit code ${code})`));
      void this.retire();
      if (this.closing) return;
      this.paused = true;
      this.state = { status: "error", detail: "stopped; starting another" };
      logger.error({ code, calls: lost.length }, "command thread: stopped unexpectedly");
      setTimeout(() => {
        this.paused = false;
        if (!this.closing) this.ensure();
      }, RESTART_AFTER_MS).unref();
    });
    return worker;
  }

  /** Keeps an ended thread's last counters (counts made after that reading are lost with it). */
  private async retire(): Promise<void> {
    const last = this.lastReading;
    this.lastReading = [];
    if (last.length === 0) return;
    this.retired = this.retired.length === 0 ? last : await AggregatorRegistry.aggregate([this.retired, last]).getMetricsAsJSON();
  }

  private receive(message: FromThread): void {
    switch (message.type) {
      case "log":
        writeLines(this.deps.logger, message.lines);
        return;
      case "ready":
        this.state = { status: "ok" };
        return;
      case "result":
      case "metrics":
        this.settle(message.id)?.resolve(message.value);
        return;
      case "error":
        this.settle(message.id)?.reject(fromWire(message.error));
        return;
    }
  }

  private settle(id: number): Pending | undefined {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    return pending;
  }
}
