import { describe, expect, it } from "vitest";
import { FeishuApiError, failureOf, withRetry } from "../../src/platforms/feishu/retry.ts";
import { DeliveryError } from "../../src/platforms/types.ts";

const httpError = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  isAxiosError: true,
  message: `Request failed with status code ${status}`,
  response: { status, data: body, headers },
});

describe("which Feishu failures are retried", () => {
  it("retries rate limits and server errors, honouring the reset header", () => {
    expect(failureOf(httpError(429, { code: 99991400 }, { "x-ogw-ratelimit-reset": "2" }))).toMatchObject({
      code: "99991400",
      retryable: true,
      retryAfterMs: 2_000,
    });
    expect(failureOf(httpError(400, { code: 230020, msg: "chat rate limit" }))).toMatchObject({
      code: "230020",
      retryable: true,
    });
    expect(failureOf(httpError(502, "<html>"))).toMatchObject({ code: "http_502", retryable: true });
    expect(failureOf({ isAxiosError: true, code: "ECONNRESET", message: "socket hang up" })).toMatchObject({
      code: "ECONNRESET",
      retryable: true,
    });
  });

  it("does not retry a refusal that will not change", () => {
    expect(failureOf(httpError(400, { code: 230002, msg: "Bot is not in the chat" }))).toMatchObject({
      code: "230002",
      retryable: false,
    });
    expect(failureOf(new FeishuApiError("im.message.create", 230013, "no availability"))).toMatchObject({ retryable: false });
    expect(failureOf(new TypeError("bug"))).toMatchObject({ code: "internal", retryable: false });
  });
});

describe("retrying", () => {
  const policy = { attempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 };

  it("tries again after the wait Feishu asks for, then succeeds", async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw httpError(429, { code: 99991400 }, { "x-ogw-ratelimit-reset": "0.5" });
        return "ok";
      },
      policy,
      () => {},
      async (ms) => {
        waits.push(ms);
      },
    );
    expect(result).toBe("ok");
    expect(waits).toEqual([500, 500]);
  });

  it("stops after the last attempt with a retryable DeliveryError", async () => {
    const error = await withRetry(
      () => Promise.reject(httpError(503, {})),
      policy,
      () => {},
      async () => {},
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ code: "http_503", retryable: true });
  });

  it("leaves a far reset to the caller instead of waiting it out", async () => {
    let calls = 0;
    const error = await withRetry(
      () => {
        calls++;
        return Promise.reject(httpError(429, { code: 99991400 }, { "x-ogw-ratelimit-reset": "30" }));
      },
      policy,
      () => {},
      async () => {},
    ).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 30_000 });
  });
});
