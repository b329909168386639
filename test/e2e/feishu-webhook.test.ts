import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardText } from "../fakes/feishu-cards.ts";
import { encrypt, messageEvent, signedHeaders, urlVerification } from "../fakes/feishu-events.ts";
import { ENCRYPT_KEY, FeishuHarness, TOKEN } from "./feishu-harness.ts";

describe("the Feishu webhook with an encrypt key", () => {
  let h: FeishuHarness;
  beforeAll(async () => {
    h = await FeishuHarness.start();
  });
  afterAll(() => h.stop());

  const addAcme = (tenantKey: string, token = TOKEN) =>
    messageEvent({ tenantKey, token, openId: "ou_alice", chatId: "oc_p2p_alice", chatType: "p2p", text: "添加 北京科技" });
  const workspaces = (externalId: string) => h.prisma.workspace.count({ where: { externalId } });

  it("answers Feishu's URL check with the challenge, well inside a second", async () => {
    const started = performance.now();
    const response = await h.post(urlVerification(TOKEN, "challenge-123"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: "challenge-123" });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("refuses a URL check with another app's token", async () => {
    const response = await h.post(urlVerification("someone-else", "challenge-123"));
    expect(response.status).toBe(401);
  });

  it("decrypts a signed event, answers at once and replies in the chat", async () => {
    const [answer] = await h.say("添加 北京科技 等级=重点", { openId: "ou_alice" });
    expect(cardText(answer?.card)).toContain("已添加 北京科技（重点客户）");
    expect(answer).toMatchObject({ kind: "create", receiveIdType: "chat_id", receiveId: "oc_p2p_ou_alice" });
  });

  /** Posts a body of our own making: encrypted (or not) with one key, signed with another. */
  const forge = (payload: unknown, o: { encryptWith?: string; signWith: string; mangle?: (body: string) => string }) => {
    const body = JSON.stringify(o.encryptWith ? encrypt(payload, o.encryptWith) : payload);
    const headers = signedHeaders(body, o.signWith, Math.floor(h.clock.now().getTime() / 1000));
    return fetch(`${h.url}/feishu/events`, { method: "POST", headers, body: o.mangle ? o.mangle(body) : body });
  };

  it("refuses a forged signature with 401 and touches nothing", async () => {
    const response = await forge(addAcme("tenant_forged"), { encryptWith: ENCRYPT_KEY, signWith: "not-the-key" });
    expect(response.status).toBe(401);
    expect(await workspaces("tenant_forged")).toBe(0);
  });

  it("refuses a body encrypted with another key, even when signed with it", async () => {
    const response = await forge(addAcme("tenant_forged"), { encryptWith: "another-key", signWith: "another-key" });
    expect(response.status).toBe(401);
    expect(await workspaces("tenant_forged")).toBe(0);
  });

  it("refuses a correctly signed event with a wrong verification token", async () => {
    const response = await h.post(addAcme("tenant_forged", "wrong-token"));
    expect(response.status).toBe(401);
    expect(await workspaces("tenant_forged")).toBe(0);
  });

  it("refuses a correctly signed event replayed ten minutes later", async () => {
    const tenMinutesAgo = Math.floor(h.clock.now().getTime() / 1000) - 600;
    const response = await h.post(addAcme("tenant_replayed"), { timestampSeconds: tenMinutesAgo });
    expect(response.status).toBe(401);
    expect(await workspaces("tenant_replayed")).toBe(0);
  });

  it("refuses a plain body, since Feishu encrypts everything once a key is set", async () => {
    const response = await forge(addAcme("tenant_plain"), { signWith: ENCRYPT_KEY });
    expect(response.status).toBe(401);
    expect(await workspaces("tenant_plain")).toBe(0);
  });

  it("refuses a signed body whose bytes were changed on the way", async () => {
    const response = await forge(addAcme("tenant_tampered"), {
      encryptWith: ENCRYPT_KEY,
      signWith: ENCRYPT_KEY,
      mangle: (b) => ` ${b}`,
    });
    expect(response.status).toBe(401);
    expect(await workspaces("tenant_tampered")).toBe(0);
  });

  it("reports the webhook as connected on /healthz", async () => {
    const health = (await (await fetch(`${h.url}/healthz`)).json()) as { platforms: Record<string, { status: string }> };
    expect(health.platforms.feishu?.status).toBe("connected");
  });
});

describe("the Feishu webhook with a verification token only", () => {
  let h: FeishuHarness;
  beforeAll(async () => {
    h = await FeishuHarness.start({ encryptKey: null });
  });
  afterAll(() => h.stop());

  it("takes plain events carrying the token", async () => {
    const [answer] = await h.say("add Acme tier=key", { openId: "ou_bob" });
    expect(cardText(answer?.card)).toContain("Added Acme as a key customer.");
  });

  it("refuses a plain event without the token, and one with another app's", async () => {
    const event = messageEvent({ tenantKey: "tenant_x", openId: "ou_bob", chatId: "oc_1", chatType: "p2p", text: "add Evil" });
    expect((await h.post(event)).status).toBe(401);
    const other = messageEvent({
      tenantKey: "tenant_x",
      token: "other",
      openId: "ou_bob",
      chatId: "oc_1",
      chatType: "p2p",
      text: "add Evil",
    });
    expect((await h.post(other)).status).toBe(401);
    expect(await h.prisma.workspace.count({ where: { externalId: "tenant_x" } })).toBe(0);
  });

  it("answers the URL check in plain text", async () => {
    const response = await h.post(urlVerification(TOKEN, "plain-challenge"));
    expect(await response.json()).toEqual({ challenge: "plain-challenge" });
  });
});
