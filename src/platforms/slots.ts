// At most `size` commands at work at once after their acks. The rest wait their turn, so a burst
// of commands does not leave hundreds half-done at once, each slowing every other and the acks of
// new requests (Slack's and Feishu's 3 seconds) with them; beyond `maxWaiting` waiting, a command is refused.
import { Overloaded } from "../command-thread/protocol.ts";

export class Slots {
  private free: number;
  // A queue read from `head` on: under a burst thousands wait, and shifting an array that long
  // moves every element each time.
  private waiting: (() => void)[] = [];
  private head = 0;

  constructor(
    size: number,
    private readonly maxWaiting = Number.POSITIVE_INFINITY,
  ) {
    this.free = Math.max(1, size);
  }

  /** True while a task given now would be refused. */
  full(): boolean {
    return this.free === 0 && this.waiting.length - this.head >= this.maxWaiting;
  }

  /** Runs `task` when a slot is free; rejects with Overloaded, without running it, when too many wait. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.full()) throw new Overloaded(`${this.maxWaiting} commands are waiting`);
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private release(): void {
    const next = this.waiting[this.head];
    if (!next) {
      this.free++;
      return;
    }
    this.head++;
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    next();
  }
}
