import { describe, expect, it } from "vitest";
import { Slots } from "../../src/platforms/slack/slots.ts";

describe("Slots", () => {
  it("runs at most `size` tasks at once and the waiting ones in arrival order, thousands of them included", async () => {
    const slots = new Slots(3);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const gates: (() => void)[] = [];
    const tasks = Array.from({ length: 3_000 }, (_, i) =>
      slots.run(async () => {
        started.push(i);
        running++;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => gates.push(resolve));
        running--;
        return i;
      }),
    );
    // Let them through a few at a time, in an order unlike their arrival's.
    while (started.length < 3_000 || gates.length > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      const open = gates.splice(0, gates.length).reverse();
      for (const release of open) release();
    }
    expect(await Promise.all(tasks)).toEqual(Array.from({ length: 3_000 }, (_, i) => i));
    expect(most).toBe(3);
    expect(started).toEqual(Array.from({ length: 3_000 }, (_, i) => i));
  });

  it("frees the slot of a task that failed", async () => {
    const slots = new Slots(1);
    await expect(slots.run(() => Promise.reject(new Error("no")))).rejects.toThrow("no");
    expect(await slots.run(async () => "next")).toBe("next");
  });
});
