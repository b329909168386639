// Work done after Feishu has been answered: tracked so that shutdown waits for it, logged if it fails.
import type { Logger } from "../../logger.ts";

export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  run(label: string, task: () => Promise<void>): void {
    const promise = task()
      .catch((error: unknown) => this.logger.error({ err: error, task: label }, `feishu: ${label} failed`))
      .finally(() => this.running.delete(promise));
    this.running.add(promise);
  }

  /** Waits for what is under way, at most `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.allSettled([...this.running]).then(() => undefined), limit]);
    clearTimeout(timer);
  }
}
