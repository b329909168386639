import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decrypt, MAX_REQUEST_AGE_MS, verifyWebhook } from "../../src/platforms/feishu/verify.ts";
import { encrypt, signedHeaders, urlVerification } from "../fakes/feishu-events.ts";

const key = "encrypt-key";
const token = "verification-token";
const now = new Date("2026-11-25T02:00:00Z");
const seconds = now.getTime() / 1000;
const event = (t = token) => ({
  schema: "2.0",
  header: { event_id: "ev_1", token: t, event_type: "im.message.receive_v1" },
  event: {},
});

function request(payload: unknown, o: { key?: string; signWith?: string; at?: number; body?: string } = {}) {
  const body = o.body ?? JSON.stringify(o.key ? encrypt(payload, o.key) : payload);
  const headers = o.signWith ? signedHeaders(body, o.signWith, o.at ?? seconds) : {};
  return { rawBody: Buffer.from(body), headers, now };
}

describe("checking a webhook request", () => {
  it("decrypts what Feishu encrypted", () => {
    expect(JSON.parse(decrypt(encrypt({ a: "北京" }, key).encrypt, key))).toEqual({ a: "北京" });
  });

  it("accepts an encrypted, signed event carrying the token", () => {
    const verdict = verifyWebhook(request(event(), { key, signWith: key }), { encryptKey: key, verificationToken: token });
    expect(verdict).toMatchObject({ ok: true, payload: event() });
  });

  it("accepts a signature at the edge of the window and refuses one past it", () => {
    const edge = seconds - MAX_REQUEST_AGE_MS / 1000;
    expect(verifyWebhook(request(event(), { key, signWith: key, at: edge }), { encryptKey: key }).ok).toBe(true);
    expect(verifyWebhook(request(event(), { key, signWith: key, at: edge - 1 }), { encryptKey: key })).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(verifyWebhook(request(event(), { key, signWith: key, at: seconds + 301 }), { encryptKey: key })).toMatchObject({
      ok: false,
      status: 401,
    });
  });

  it("refuses an unsigned event when an encrypt key is set, but takes the URL check unsigned", () => {
    expect(verifyWebhook(request(event(), { key }), { encryptKey: key })).toMatchObject({
      ok: false,
      reason: "signature headers missing",
    });
    expect(
      verifyWebhook(request(urlVerification(token, "c1"), { key }), { encryptKey: key, verificationToken: token }),
    ).toMatchObject({
      ok: true,
      challenge: "c1",
    });
  });

  it("refuses a wrong token in the header of a schema 2.0 event", () => {
    const verdict = verifyWebhook(request(event("other"), { key, signWith: key }), { encryptKey: key, verificationToken: token });
    expect(verdict).toMatchObject({ ok: false, status: 401, reason: "verification token does not match" });
  });

  it("answers 400 to a body that is not JSON", () => {
    expect(verifyWebhook({ rawBody: Buffer.from("not json"), headers: {}, now }, { verificationToken: token })).toMatchObject({
      status: 400,
    });
  });

  it("accepts a body only with its exact bytes: any change breaks the signature", () => {
    const base = request(event(), { key, signWith: key });
    fc.assert(
      fc.property(fc.nat({ max: base.rawBody.length - 1 }), fc.integer({ min: 1, max: 255 }), (index, flip) => {
        const changed = Buffer.from(base.rawBody);
        changed[index] = (changed[index] as number) ^ flip;
        expect(verifyWebhook({ ...base, rawBody: changed }, { encryptKey: key }).ok).toBe(false);
      }),
    );
  });

  it("never accepts a signature made with another key", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (other) => {
        fc.pre(other !== key);
        expect(verifyWebhook(request(event(), { key, signWith: other }), { encryptKey: key }).ok).toBe(false);
      }),
    );
  });
});
