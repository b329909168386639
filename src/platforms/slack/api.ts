// The one way out to Slack's Web API: one WebClient per bot token, bounded retries that honour
// Retry-After, and every failure counted and logged by method and Slack error code, then raised
// as a DeliveryError so that callers (replies, the scheduler) can record what was not delivered.
import http from "node:http";
import https from "node:https";
import { setTimeout as sleep } from "node:timers/promises";
import { webApi } from "@slack/bolt";
import type { Logger } from "../../logger.ts";
import type { Metrics } from "../../metrics.ts";
import { DeliveryError } from "../types.ts";
import { slackLogger } from "./logger.ts";

export type WebClient = webApi.WebClient;

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** First pause after a 5xx or a failed connection; doubled each time, with jitter. */
  backoffMs: number;
  maxBackoffMs: number;
  /** The longest Retry-After waited out here; a longer one goes back to the caller as retryAfterMs. */
  maxRateLimitWaitMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 4, backoffMs: 250, maxBackoffMs: 4_000, maxRateLimitWaitMs: 20_000 };

// Calls that change nothing when repeated; a call whose answer was lost is tried again only if
// it is one of these, since a repeated chat.postMessage would post the message twice.
const idempotent = new Set(["auth.test", "users.info", "conversations.open", "chat.getPermalink", "views.open", "views.publish"]);

// Errors raised before the request reached Slack: safe to retry whatever the method.
const notSent = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

// Slack error codes that may clear up later (for DeliveryError.retryable); the rest need a person.
const transient = new Set(["ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"]);

export function createWebClient(token: string, apiUrl: string | undefined, logger: Logger): WebClient {
  return new webApi.WebClient(token, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    // Retries are SlackApi.call's: the SDK's own would repeat a post whose answer was lost, and
    // would pause every call of the client for a Retry-After however long.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 15_000,
    logger: slackLogger(logger, "slack-web-api"),
  });
}

interface Failure {
  code: string;
  retryable: boolean;
  /** Worth trying again at once (after a pause): the call did not happen, or may be repeated. */
  retryNow: boolean;
  retryAfterMs?: number | undefined;
}

export class SlackApi {
  constructor(
    readonly client: WebClient,
    private readonly deps: { logger: Logger; metrics: Metrics },
    private readonly policy: RetryPolicy = defaultRetryPolicy,
  ) {}

  /** Runs one Web API call, `method` naming it for logs and metrics. */
  async call<T>(method: string, send: (client: WebClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      try {
        const result = await send(this.client);
        this.deps.logger.debug({ method, attempt, ms: Math.round(performance.now() - started) }, "Slack API call");
        return result;
      } catch (error) {
        const failure = classify(error, idempotent.has(method));
        this.deps.metrics.platformErrors.inc({ platform: "slack", method, code: failure.code });
        const waitMs = this.pause(failure, attempt);
        const log = { method, code: failure.code, attempt, retryAfterMs: failure.retryAfterMs };
        if (waitMs === undefined) {
          this.deps.logger.warn(log, "Slack API call failed");
          throw new DeliveryError(
            `Slack ${method} failed: ${failure.code}`,
            failure.code,
            failure.retryable,
            failure.retryAfterMs,
          );
        }
        this.deps.logger.info({ ...log, waitMs }, "Slack API call failed; trying again");
        await sleep(waitMs);
      }
    }
  }

  /** Posts a message to a response_url (no Web API method, but the same retries and records). */
  async respond(url: string, message: object): Promise<void> {
    await this.call("response_url", async () => {
      const response = await postJson(url, JSON.stringify(message), 15_000).catch((error: Error) => {
        throw new webApi.WebAPIRequestError(error);
      });
      const { status, text } = response;
      if (status === 429) throw new webApi.WebAPIRateLimitedError(Number(response.retryAfter ?? 1));
      if (status >= 500) throw new webApi.WebAPIHTTPError(status, response.statusText, {}, text);
      // Slack answers an expired or used-up url with 404 and {"ok":false,"error":"expired_url"}.
      const error = parseError(text) ?? (status >= 200 && status < 300 ? undefined : `http_${status}`);
      if (error) throw new webApi.WebAPIPlatformError({ ok: false, error });
    });
  }

  private pause(failure: Failure, attempt: number): number | undefined {
    if (attempt >= this.policy.attempts) return undefined;
    if (failure.retryAfterMs !== undefined) {
      return failure.retryAfterMs <= this.policy.maxRateLimitWaitMs ? failure.retryAfterMs : undefined;
    }
    if (!failure.retryNow) return undefined;
    const backoff = Math.min(this.policy.maxBackoffMs, this.policy.backoffMs * 2 ** (attempt - 1));
    return Math.round(backoff * (0.5 + Math.random() / 2));
  }
}

function classify(error: unknown, repeatable: boolean): Failure {
  if (error instanceof webApi.WebAPIRateLimitedError) {
    return { code: "ratelimited", retryable: true, retryNow: true, retryAfterMs: error.retryAfter * 1000 };
  }
  if (error instanceof webApi.WebAPIPlatformError) {
    const code = String(error.data.error ?? "unknown_error");
    return { code, retryable: transient.has(code), retryNow: repeatable && code === "service_unavailable" };
  }
  if (error instanceof webApi.WebAPIHTTPError) {
    const retryable = error.statusCode >= 500;
    return { code: `http_${error.statusCode}`, retryable, retryNow: retryable };
  }
  if (error instanceof webApi.WebAPIRequestError) {
    const code = networkCode(error.original);
    return { code, retryable: true, retryNow: repeatable || notSent.has(code) };
  }
  return { code: error instanceof Error ? error.name : "unknown_error", retryable: false, retryNow: false };
}

function networkCode(error: Error): string {
  if (error.name === "TimeoutError" || error.name === "AbortError") return "timeout";
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === "string" ? cause.code : "request_error";
}

function parseError(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { ok?: unknown; error?: unknown };
    return body.ok === false && typeof body.error === "string" ? body.error : undefined;
  } catch {
    return undefined;
  }
}

// Node's own HTTP client rather than fetch: an answer is posted for every command, and fetch's
// streams, Request objects and abort signals cost about as much CPU as the command's SQL.
// An idle connection is closed after 4 s (as fetch does): one kept longer may have been dropped by
// a proxy or NAT in between, and a post sent on it would fail with nothing to tell it was not sent.
const keepAlive = { keepAlive: true, timeout: 4_000 };
const agents = { "http:": new http.Agent(keepAlive), "https:": new https.Agent(keepAlive) };

interface PostAnswer {
  status: number;
  statusText: string;
  retryAfter: string | undefined;
  text: string;
}

/** POSTs a JSON body and reads the whole answer; a network failure or timeout rejects, with the cause's code. */
function postJson(url: string, body: string, timeoutMs: number): Promise<PostAnswer> {
  const target = new URL(url);
  const send = target.protocol === "https:" ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const failed = (cause: Error & { code?: string }) => {
      const timedOut = cause.code === "ETIMEDOUT";
      reject(
        Object.assign(
          new Error(timedOut ? "response_url timed out" : "response_url request failed", { cause }),
          timedOut ? { name: "TimeoutError" } : {},
        ),
      );
    };
    const request = send(
      target,
      {
        method: "POST",
        agent: agents[target.protocol as keyof typeof agents],
        headers: { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", failed);
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            statusText: response.statusMessage ?? "",
            retryAfter: response.headers["retry-after"],
            text: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    request.on("timeout", () => request.destroy(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" })));
    request.on("error", failed);
    request.end(body);
  });
}
