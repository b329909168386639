// Work a platform adapter goes on with after it has answered the platform's request: tracked so
// that shutdown waits for it, logged if it fails; and the deadline such an answer must keep.
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../logger.ts";

export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();

  /** `name` begins each failure's log line ("feishu: form result failed"). */
  constructor(
    private readonly logger: Logger,
    private readonly name: string,
  ) {}

  run(label: string, task: () => Promise<void>): void {
    this.add(task().catch((error: unknown) => this.logger.error({ err: error, task: label }, `${this.name}: ${label} failed`)));
  }

  /** Waits for `work` too when draining; its failure is its owner's to report. */
  track(work: Promise<unknown>): void {
    this.add(
      work.then(
        () => {},
        () => {},
      ),
    );
  }

  private add(settles: Promise<void>): void {
    this.running.add(settles);
    void settles.finally(() => this.running.delete(settles));
  }

  /**
   * Waits for what is under way, at most `timeoutMs`: work under way may hand on more (a form's
   * answer after its window), so until none is left.
   */
  async drain(timeoutMs: number): Promise<void> {
    const timer = new AbortController();
    let over = false;
    const limit = sleep(timeoutMs, undefined, { signal: timer.signal }).then(
      () => {
        over = true;
      },
      () => {},
    );
    while (this.running.size > 0 && !over) await Promise.race([Promise.allSettled([...this.running]), limit]);
    timer.abort();
  }
}

/** What `promise` gives within `ms`, or "late". */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | "late"> {
  const timer = new AbortController();
  const late = sleep(ms, "late" as const, { signal: timer.signal }).catch(() => "late" as const);
  try {
    return await Promise.race([promise, late]);
  } finally {
    timer.abort();
  }
}
