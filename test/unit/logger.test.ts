import { describe, expect, it } from "vitest";
import { createLogger, handedOver, writeLines } from "../../src/logger.ts";

describe("lines handed from the command thread to the main thread's logger", () => {
  it("arrive in batches and are written one line a write, whole and in order, secrets redacted", () => {
    const batches: string[][] = [];
    const out = handedOver((lines) => batches.push(lines));
    const thread = createLogger("info", out);
    for (let i = 0; i < 200; i++) thread.info({ i, config: { slack: { botToken: "xoxb-secret" } } }, "command");
    out.flush();
    // 200 lines of about 100 bytes: handed over 4 KB at a time, not a message per line.
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.length).toBeLessThan(20);

    const writes: string[] = [];
    const main = createLogger("info", { write: (line: string) => void writes.push(line) });
    for (const batch of batches) writeLines(main, batch);
    expect(writes).toHaveLength(200);
    expect(writes.every((line) => line.endsWith("\n") && line.indexOf("\n") === line.length - 1)).toBe(true);
    expect(writes.map((line) => (JSON.parse(line) as { i: number }).i)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(writes.join("")).not.toContain("xoxb-secret");
  });
});
