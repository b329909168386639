import { describe, expect, it } from "vitest";
import { createLogger, handedOver, withoutSecrets, writeLines } from "../../src/logger.ts";

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

describe("secrets in logged objects", () => {
  const logged = (fields: Record<string, unknown>) => {
    const lines: string[] = [];
    createLogger("info", { write: (line: string) => void lines.push(line) }).info(fields, "line");
    return JSON.parse(lines[0] ?? "{}") as Record<string, unknown>;
  };

  it("are replaced in the object's own fields and one level down, the rest kept", () => {
    const line = logged({
      token: "t-1",
      headers: { authorization: "Bearer t-2", cookie: "s=t-3", "content-type": "application/json" },
      client: { botToken: "xoxb-4", appToken: "xapp-5", team: "T1" },
      config: { port: 3000, slack: { signingSecret: "s-6" }, feishu: { appSecret: "s-7" } },
      status: 200,
    });
    expect(line).toMatchObject({
      token: "[redacted]",
      headers: { authorization: "[redacted]", cookie: "[redacted]", "content-type": "application/json" },
      client: { botToken: "[redacted]", appToken: "[redacted]", team: "T1" },
      config: { port: 3000, slack: "[redacted]", feishu: "[redacted]" },
      status: 200,
    });
    expect(JSON.stringify(line)).not.toMatch(/t-1|t-2|t-3|xoxb-4|xapp-5|s-6|s-7/);
  });

  it("leave an error an error, with its message and stack, and the caller's objects untouched", () => {
    const error = Object.assign(new Error("refused"), { authorization: "Bearer t-8", code: "E401" });
    const line = logged({ err: error }) as { err: { message: string; stack: string; code: string; authorization: string } };
    expect(line.err).toMatchObject({ message: "refused", code: "E401", authorization: "[redacted]" });
    expect(line.err.stack).toContain("refused");
    expect(error.authorization).toBe("Bearer t-8");
  });

  it("are replaced in a frozen object or behind a getter without the log call throwing", () => {
    const frozen = Object.freeze({ token: "t-9", team: "T1" });
    const withGetter = Object.defineProperty({}, "appSecret", { get: () => "s-10", enumerable: true });
    const line = logged({ frozen, withGetter });
    expect(line).toMatchObject({ frozen: { token: "[redacted]", team: "T1" }, withGetter: { appSecret: "[redacted]" } });
    expect(frozen.token).toBe("t-9");
  });

  it("costs nothing when there are none: the same object comes back", () => {
    const fields = { method: "POST", route: "/slack/events", status: 200, headers: { "content-type": "text/plain" } };
    expect(withoutSecrets(fields)).toBe(fields);
  });
});
