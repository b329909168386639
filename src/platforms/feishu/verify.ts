// Checks a webhook request from Feishu before anything acts on it: decryption, signature, token, age.
import { createDecipheriv, createHash, timingSafeEqual } from "node:crypto";

/** Requests signed longer ago than this are refused as replays. */
export const MAX_REQUEST_AGE_MS = 5 * 60_000;

export interface WebhookSecrets {
  encryptKey?: string | undefined;
  verificationToken?: string | undefined;
}

export interface WebhookRequest {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
  now: Date;
}

/** A URL check carries `challenge`, to be echoed back; anything else is an event or a card callback. */
export type Verdict =
  | { ok: true; challenge?: string; payload: Record<string, unknown> }
  | { ok: false; status: 400 | 401; reason: string };

/**
 * Feishu's rules (open.feishu.cn "Encrypt Key" and "request signature"): with an encrypt key every
 * body is {"encrypt": base64(iv + AES-256-CBC(json))} under SHA-256(key), and signed as
 * SHA-256(timestamp + nonce + key + raw body). The SDK's own check hashes JSON.stringify of the
 * parsed body and has no replay window, so the raw bytes are checked here instead.
 */
export function verifyWebhook(request: WebhookRequest, secrets: WebhookSecrets): Verdict {
  const outer = parseObject(request.rawBody.toString("utf8"));
  if (!outer) return { ok: false, status: 400, reason: "body is not a JSON object" };
  const payload = open(outer, secrets.encryptKey);
  if (!payload.ok) return payload;
  const body = payload.value;
  const isChallenge = body.type === "url_verification";

  const signed = header(request.headers, "x-lark-signature") !== undefined;
  // The URL check may come unsigned; decrypting it already proved the sender knows the key.
  if (secrets.encryptKey && (signed || !isChallenge)) {
    const signature = checkSignature(request, secrets.encryptKey);
    if (signature) return signature;
  } else if (header(request.headers, "x-lark-request-timestamp") !== undefined) {
    const age = checkAge(request);
    if (age) return age;
  }
  if (secrets.verificationToken && !same(tokenOf(body), secrets.verificationToken)) {
    return { ok: false, status: 401, reason: "verification token does not match" };
  }
  if (isChallenge) {
    if (typeof body.challenge !== "string") return { ok: false, status: 400, reason: "challenge missing" };
    return { ok: true, challenge: body.challenge, payload: body };
  }
  return { ok: true, payload: body };
}

/** AES-256-CBC with the SHA-256 of the encrypt key; the first 16 bytes are the IV. */
export function decrypt(encrypted: string, encryptKey: string): string {
  const bytes = Buffer.from(encrypted, "base64");
  const key = createHash("sha256").update(encryptKey).digest();
  const decipher = createDecipheriv("aes-256-cbc", key, bytes.subarray(0, 16));
  return Buffer.concat([decipher.update(bytes.subarray(16)), decipher.final()]).toString("utf8");
}

export function signature(timestamp: string, nonce: string, encryptKey: string, rawBody: Buffer | string): string {
  return createHash("sha256")
    .update(timestamp + nonce + encryptKey)
    .update(rawBody)
    .digest("hex");
}

type Opened = { ok: true; value: Record<string, unknown> } | { ok: false; status: 400 | 401; reason: string };

function open(outer: Record<string, unknown>, encryptKey: string | undefined): Opened {
  const encrypted = outer.encrypt;
  if (encryptKey === undefined) {
    if (encrypted !== undefined) return { ok: false, status: 400, reason: "encrypted body but no FEISHU_ENCRYPT_KEY" };
    return { ok: true, value: outer };
  }
  // With an encrypt key set, Feishu encrypts every push: a plain body did not come from Feishu.
  if (typeof encrypted !== "string") return { ok: false, status: 401, reason: "body is not encrypted" };
  let inner: Record<string, unknown> | null;
  try {
    inner = parseObject(decrypt(encrypted, encryptKey));
  } catch {
    return { ok: false, status: 401, reason: "body does not decrypt with the encrypt key" };
  }
  if (!inner) return { ok: false, status: 401, reason: "decrypted body is not a JSON object" };
  return { ok: true, value: inner };
}

function checkSignature(request: WebhookRequest, encryptKey: string): Verdict | null {
  const timestamp = header(request.headers, "x-lark-request-timestamp");
  const nonce = header(request.headers, "x-lark-request-nonce");
  const given = header(request.headers, "x-lark-signature");
  if (timestamp === undefined || nonce === undefined || given === undefined) {
    return { ok: false, status: 401, reason: "signature headers missing" };
  }
  if (!same(given, signature(timestamp, nonce, encryptKey, request.rawBody))) {
    return { ok: false, status: 401, reason: "signature does not match" };
  }
  return checkAge(request);
}

function checkAge(request: WebhookRequest): Verdict | null {
  const seconds = Number(header(request.headers, "x-lark-request-timestamp"));
  if (!Number.isFinite(seconds)) return { ok: false, status: 401, reason: "timestamp is not a number" };
  if (Math.abs(request.now.getTime() - seconds * 1000) > MAX_REQUEST_AGE_MS) {
    return { ok: false, status: 401, reason: "timestamp outside the 5-minute window" };
  }
  return null;
}

/** Schema 2.0 events carry the token in header.token; 1.0 events and the URL check at the top. */
function tokenOf(body: Record<string, unknown>): string | undefined {
  const head = body.header;
  if (head && typeof head === "object" && typeof (head as { token?: unknown }).token === "string") {
    return (head as { token: string }).token;
  }
  return typeof body.token === "string" ? body.token : undefined;
}

function header(headers: WebhookRequest["headers"], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function same(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
