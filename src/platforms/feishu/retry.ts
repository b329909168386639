// Which failed calls to the Feishu open API are worth trying again, and how long to wait first.
import { DeliveryError } from "../types.ts";

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  /** A wait longer than this (a far rate-limit reset) is left to the caller's own schedule. */
  maxDelayMs: number;
}

/** Sends: the scheduler relies on these, so they try harder than look-ups. */
export const sendPolicy: RetryPolicy = { attempts: 4, baseDelayMs: 400, maxDelayMs: 10_000 };
/** Look-ups sit on the path of a user's command: one quick second try at most. */
export const lookupPolicy: RetryPolicy = { attempts: 2, baseDelayMs: 200, maxDelayMs: 2_000 };

/** A card shown to one person: they are waiting, and a refused card is posted in the chat instead. */
export const ephemeralPolicy: RetryPolicy = { attempts: 2, baseDelayMs: 200, maxDelayMs: 2_000 };

/** "Too many requests" in Feishu's codes: the app (99991400), the tenant (11232), one chat (230020). */
const rateLimitCodes = new Set([99991400, 11232, 230020]);

/** A response whose body says something other than code 0. */
export class FeishuApiError extends Error {
  override name = "FeishuApiError";
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
  ) {
    super(`${method}: ${message} (code ${code})`);
  }
}

export interface Failure {
  code: string;
  retryable: boolean;
  retryAfterMs?: number | undefined;
  message: string;
}

interface HttpErrorShape {
  isAxiosError?: boolean;
  code?: string;
  message?: string;
  response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
}

export function failureOf(error: unknown): Failure {
  if (error instanceof FeishuApiError) {
    return { code: String(error.code), retryable: rateLimitCodes.has(error.code), message: error.message };
  }
  const http = error as HttpErrorShape | null;
  if (!http || typeof http !== "object" || !http.isAxiosError) {
    return { code: "internal", retryable: false, message: error instanceof Error ? error.message : String(error) };
  }
  const response = http.response;
  if (!response) return { code: http.code ?? "network", retryable: true, message: http.message ?? "network error" };
  const status = response.status ?? 0;
  const body = response.data as { code?: unknown; msg?: unknown } | undefined;
  const bodyCode = typeof body?.code === "number" ? body.code : undefined;
  const limited = status === 429 || (bodyCode !== undefined && rateLimitCodes.has(bodyCode));
  return {
    code: bodyCode !== undefined ? String(bodyCode) : `http_${status}`,
    retryable: limited || status >= 500,
    retryAfterMs: limited ? resetAfter(response.headers) : undefined,
    message: `HTTP ${status}${typeof body?.msg === "string" ? `: ${body.msg}` : ""}`,
  };
}

/** Feishu's gateway says when the window resets in x-ogw-ratelimit-reset (seconds). */
function resetAfter(headers: Record<string, unknown> | undefined): number | undefined {
  const raw = headers?.["x-ogw-ratelimit-reset"] ?? headers?.["retry-after"];
  const seconds = Number(raw);
  return raw !== undefined && Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : undefined;
}

export function backoffMs(policy: RetryPolicy, attempt: number, random = Math.random): number {
  const ceiling = policy.baseDelayMs * 2 ** (attempt - 1);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `call`, retrying what may succeed later; gives up with a DeliveryError that says whether to try again. */
export async function withRetry<T>(
  call: () => Promise<T>,
  policy: RetryPolicy,
  report: (failure: Failure, attempt: number) => void,
  wait: (ms: number) => Promise<void> = sleep,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const failure = failureOf(error);
      report(failure, attempt);
      const delay = failure.retryAfterMs ?? backoffMs(policy, attempt);
      if (!failure.retryable || attempt >= policy.attempts || delay > policy.maxDelayMs) {
        throw new DeliveryError(failure.message, failure.code, failure.retryable, failure.retryable ? delay : undefined);
      }
      await wait(delay);
    }
  }
}
