import { describe, expect, it } from "vitest";
import { Overloaded } from "../../src/command-thread/protocol.ts";
import { Slots } from "../../src/platforms/slots.ts";

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

  it("refuses a task, without running it, when `maxWaiting` tasks already wait", async () => {
    const slots = new Slots(1, 2);
    let release = () => {};
    const ran: string[] = [];
    const task = (name: string) => () => {
      ran.push(name);
      return name === "first" ? new Promise<string>((resolve) => (release = () => resolve(name))) : Promise.resolve(name);
    };
    const first = slots.run(task("first"));
    const waiting = [slots.run(task("second")), slots.run(task("third"))];
    await expect(slots.run(task("fourth"))).rejects.toBeInstanceOf(Overloaded);
    release();
    expect(await Promise.all([first, ...waiting])).toEqual(["first", "second", "third"]);
    // Room again once the queue has drained.
    expect(await slots.run(task("fifth"))).toBe("fifth");
    expect(ran).toEqual(["first", "second", "third", "fifth"]);
  });

  it("frees the slot of a task that failed", async () => {
    const slots = new Slots(1);
    await expect(slots.run(() => Promise.reject(new Error("no")))).rejects.toThrow("no");
    expect(await slots.run(async () => "next")).toBe("next");
  });
});
