import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSurvey } from "../../src/domain/surveys.ts";
import type { Customer, Workspace } from "../../src/generated/prisma/client.ts";
import { createMetrics } from "../../src/metrics.ts";
import { createWebServer, type WebServer } from "../../src/web/server.ts";
import { registerSurveyPages } from "../../src/web/survey-page.ts";
import { openTestDatabase, type TestDatabase } from "../support/database.ts";
import { RecordingMessenger } from "../support/recording-messenger.ts";
import { silentLogger, World } from "../support/world.ts";

let test: TestDatabase;
let world: World;
let web: WebServer;
let base: string;
const platform = new RecordingMessenger();

beforeAll(async () => {
  test = await openTestDatabase();
  world = new World(test.db);
  web = createWebServer({ db: test.db, logger: silentLogger, metrics: createMetrics() });
  registerSurveyPages(web, { deps: world.deps, logger: silentLogger, messengers: { cli: platform } });
  base = `http://127.0.0.1:${await web.listen(0, "127.0.0.1")}`;
});
afterAll(async () => {
  await web.close();
  await test.drop();
});

async function setup(locale = "zh", name = 'Acme <b>&"Co"</b>') {
  world.clock.set("2026-11-25T02:00:00Z");
  const ws: Workspace = await world.workspace({ locale });
  const alice = await world.member(ws, "alice");
  const customer: Customer = await test.db.prisma.customer.create({
    data: { workspaceId: ws.id, name, normalizedName: name.toLowerCase(), ownerId: alice.id },
  });
  const issued = await createSurvey(world.deps, ws, customer);
  return { ws, customer, url: `${base}/s/${issued.token}`, token: issued.token, survey: issued.survey };
}

const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});

/** Polls until `check` passes or the deadline passes; never a fixed sleep. */
async function eventually(check: () => void | Promise<void>, deadlineMs = 10_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

describe("the survey page", () => {
  it("is served in the survey's language with headers that keep the token and the page to themselves", async () => {
    const { url } = await setup();
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'$/,
    );
    expect(
      Object.fromEntries(
        ["x-content-type-options", "referrer-policy", "x-frame-options", "cache-control"].map((h) => [h, res.headers.get(h)]),
      ),
    ).toEqual({
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "x-frame-options": "DENY",
      "cache-control": "no-store",
    });
    const html = await res.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain("您对我们的服务满意吗？");
    expect(html).toContain("致 Acme &lt;b&gt;&amp;&quot;Co&quot;&lt;/b&gt; 的简短调查");
    expect(html).not.toContain("<b>");
    expect(html).not.toMatch(/<script|https?:\/\//);
    const english = await (await fetch(`${url}?lang=en`)).text();
    expect(english).toContain("How satisfied are you with our service?");
    expect(english).toContain('href="?lang=zh"');
  });

  it("takes an answer once: the same link again gets the already-answered page", async () => {
    const { url, survey } = await setup("en");
    const first = await fetch(url, form({ csat: "5", nps: "9", comment: "Quick and friendly", lang: "en" }));
    expect(first.status).toBe(200);
    expect(await first.text()).toContain("Thank you!");
    const replay = await fetch(url, form({ csat: "1", nps: "0", lang: "en" }));
    expect(replay.status).toBe(409);
    expect(await replay.text()).toContain("This survey was answered on 2026-11-25. Each link can be used once");
    const again = await fetch(url);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("Already answered");
    expect(await test.db.prisma.survey.findUniqueOrThrow({ where: { id: survey.id } })).toMatchObject({
      csat: 5,
      nps: 9,
      comment: "Quick and friendly",
    });
  });

  it("takes the multipart form the page itself sends, with a long Chinese comment", async () => {
    const { url, survey } = await setup();
    const body = new FormData();
    body.set("csat", "4");
    body.set("nps", "10");
    body.set("comment", "服务很好".repeat(500));
    const res = await fetch(url, { method: "POST", body });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("感谢您的反馈！");
    expect((await test.db.prisma.survey.findUniqueOrThrow({ where: { id: survey.id } })).comment).toHaveLength(2000);
  });

  it("shows a missing or out-of-range answer on the form again, with what was chosen and the comment escaped", async () => {
    const { url, survey } = await setup("en");
    const missing = await fetch(url, form({ csat: "4", comment: "</textarea><script>alert(1)</script>" }));
    expect(missing.status).toBe(400);
    const html = await missing.text();
    expect(html).toContain("Please check your answers");
    expect(html).toContain("Choose how likely you are to recommend us, from 0 to 10.");
    expect(html).not.toContain("Choose how satisfied you are");
    expect(html).toContain('id="csat-4" name="csat" value="4" required checked');
    expect(html).toContain("&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>");
    const wrong: Record<string, string>[] = [
      { csat: "9", nps: "5" },
      { csat: "3", nps: "-1" },
      { csat: "3", nps: "5", comment: "x".repeat(2001) },
    ];
    for (const fields of wrong) {
      expect((await fetch(url, form(fields))).status).toBe(400);
    }
    const json = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"csat":5,"nps":10}',
    });
    expect(json.status).toBe(400);
    expect((await test.db.prisma.survey.findUniqueOrThrow({ where: { id: survey.id } })).respondedAt).toBeNull();
  });

  it("refuses a body over 16 KB before reading it, with a page that says so", async () => {
    const { url, survey } = await setup("en");
    const res = await fetch(url, form({ csat: "5", nps: "10", comment: "x".repeat(17_000) }));
    expect(res.status).toBe(413);
    expect(res.headers.get("connection")).toBe("close");
    expect(await res.text()).toContain("The answer was larger than 16 KB and was not read.");
    expect((await test.db.prisma.survey.findUniqueOrThrow({ where: { id: survey.id } })).respondedAt).toBeNull();
  });

  it("tells a forged token and an expired link apart, and records nothing for either", async () => {
    const { url, token, survey } = await setup("en");
    const forged = `${base}/s/${token.slice(0, -2)}xx`;
    // No survey, so no survey's language: the browser's is used.
    const unknown = await fetch(forged, {
      ...form({ csat: "5", nps: "10" }),
      headers: { ...form({}).headers, "accept-language": "en-GB,en;q=0.8" },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("This survey link is not valid.");
    const nonsense = await fetch(`${base}/s/nonsense`, { headers: { "accept-language": "zh-CN" } });
    expect(nonsense.status).toBe(404);
    expect(await nonsense.text()).toContain("此调查链接无效。");
    world.clock.advanceDays(31);
    const expired = await fetch(url, form({ csat: "5", nps: "10", lang: "en" }));
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain("Survey links are open for 30 days and this one closed on 2026-12-25.");
    expect((await test.db.prisma.survey.findUniqueOrThrow({ where: { id: survey.id } })).respondedAt).toBeNull();
  });

  it("tells the owner about an unhappy answer at once, in a DM with the comment", async () => {
    const { url } = await setup("en", "Globex");
    const res = await fetch(url, form({ csat: "2", nps: "4", comment: "Nobody called back" }));
    expect(await res.text()).toContain("We are sorry we fell short.");
    await eventually(() => {
      const dm = platform.to("alice").find((s) => s.text.includes("Globex is unhappy"));
      expect(dm?.text).toContain("Globex is unhappy: CSAT 2/5 · NPS 4/10");
      expect(dm?.text).toContain("They wrote: “Nobody called back”");
    });
  });
});
