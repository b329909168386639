// Delivery ids seen lately, so that an event pushed twice is dropped before it costs a query.
import type { Clock } from "../../domain/time.ts";

/**
 * A first line only: the durable guard is the command layer's delivery id in the database, which
 * holds across restarts and replicas. This one also catches what never reaches that layer.
 */
export class RecentIds {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 15 * 60_000,
    private readonly max = 20_000,
  ) {}

  /** True the first time `id` is claimed within the time to live. */
  claim(id: string): boolean {
    const now = this.clock.now().getTime();
    const until = this.seen.get(id);
    if (until !== undefined && until > now) return false;
    if (this.seen.size >= this.max) this.sweep(now);
    this.seen.set(id, now + this.ttlMs);
    return true;
  }

  private sweep(now: number): void {
    for (const [id, until] of this.seen) if (until <= now) this.seen.delete(id);
    // Still full: the oldest go first (a Map keeps insertion order).
    for (const id of this.seen.keys()) {
      if (this.seen.size < this.max) break;
      this.seen.delete(id);
    }
  }
}
