import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textReply } from "../../src/commands/reply.ts";
import { DeliveryError } from "../../src/platforms/types.ts";
import { visibleText } from "../fakes/slack-api.ts";
import type { SlackPerson } from "../fakes/slack-payloads.ts";
import { APP_TOKEN, BOT_TOKEN, SlackHarness, said } from "./slack-harness.ts";

let slack: SlackHarness;
beforeAll(async () => {
  slack = await SlackHarness.start();
});
afterAll(() => slack.stop());

function messenger() {
  const found = slack.server.messengers.slack;
  if (!found) throw new Error("the Slack messenger did not start");
  return found;
}

/** A member the scheduler could remind, known to the database as a command would leave them. */
async function memberOf(who: SlackPerson) {
  await slack.ask(who, "help");
  const workspace = await slack.workspace(who.team);
  const member = await slack.prisma.member.findFirstOrThrow({ where: { workspaceId: workspace.id, externalId: who.user } });
  return { workspace, member };
}

async function metric(line: string): Promise<number> {
  const text = await (await fetch(`${slack.url}/metrics`)).text();
  const found = text.split("\n").find((l) => l.startsWith(line));
  return found ? Number(found.split(" ").at(-1)) : 0;
}

describe("sending through the Web API", () => {
  it("waits out a 429's Retry-After, then delivers, and counts and logs the error by method and code", async () => {
    const { workspace, member } = await memberOf(slack.person());
    slack.fake.failNext("chat.postMessage", 1, { status: 429, retryAfter: 1 });
    const started = Date.now();
    const ts = await messenger().sendDirect(workspace, member, textReply("en", "You have **2** revisits due"));
    expect(ts).toMatch(/^\d+\.\d+$/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const posts = slack.fake.callsTo("chat.postMessage").filter((c) => c.args.channel === `D${member.externalId}`);
    expect(posts).toHaveLength(2);
    expect(visibleText(posts[1]?.args)).toContain("You have *2* revisits due");
    expect(
      await metric('crm_platform_api_errors_total{platform="slack",method="chat.postMessage",code="ratelimited"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(slack.logs.some((line) => line.includes('"method":"chat.postMessage"') && line.includes('"code":"ratelimited"'))).toBe(
      true,
    );
  });

  it("backs off after 5xx answers and then delivers", async () => {
    const { workspace } = await memberOf(slack.person());
    slack.fake.failNext("chat.postMessage", 2, { status: 503 });
    const ts = await messenger().postToChannel(workspace, "C0SURVEYS", textReply("en", "Survey link"));
    expect(ts).toMatch(/^\d+\.\d+$/);
    expect(slack.fake.callsTo("chat.postMessage").filter((c) => c.args.channel === "C0SURVEYS")).toHaveLength(3);
  });

  it("gives up after a bounded number of tries, with a retryable DeliveryError for the scheduler", async () => {
    const { workspace } = await memberOf(slack.person());
    slack.fake.failNext("chat.postMessage", 10, { status: 500 });
    const failed = messenger().postToChannel(workspace, "C0DOWN", textReply("en", "hello"));
    await expect(failed).rejects.toBeInstanceOf(DeliveryError);
    await expect(failed).rejects.toMatchObject({ code: "http_500", retryable: true });
    expect(slack.fake.callsTo("chat.postMessage").filter((c) => c.args.channel === "C0DOWN")).toHaveLength(4);
    slack.fake.clearFailures();
  });

  it("hands a long Retry-After back to the caller instead of waiting it out", async () => {
    const { workspace } = await memberOf(slack.person());
    slack.fake.failNext("chat.postMessage", 1, { status: 429, retryAfter: 120 });
    const started = Date.now();
    const failed = messenger().postToChannel(workspace, "C0BUSY", textReply("en", "hello"));
    await expect(failed).rejects.toMatchObject({ code: "ratelimited", retryable: true, retryAfterMs: 120_000 });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("does not retry what cannot succeed, and says which Slack error it was", async () => {
    const { workspace } = await memberOf(slack.person());
    slack.fake.failNext("chat.postMessage", 1, { error: "not_in_channel" });
    const failed = messenger().postToChannel(workspace, "C0PRIVATE", textReply("en", "hello"));
    await expect(failed).rejects.toMatchObject({ code: "not_in_channel", retryable: false });
    expect(slack.fake.callsTo("chat.postMessage").filter((c) => c.args.channel === "C0PRIVATE")).toHaveLength(1);
  });

  it("never writes a token into the logs", () => {
    const all = slack.logs.join("\n");
    expect(all).not.toContain(BOT_TOKEN);
    expect(all).not.toContain(APP_TOKEN);
    expect(all).not.toMatch(/xox[bp]-/);
  });
});

describe("answering commands when Slack misbehaves", () => {
  it("acknowledges inside Slack's 3 seconds even when users.info takes 3.5", async () => {
    slack.fake.slowDown("users.info", 3500);
    try {
      const sent = await slack.command(slack.person(), "add Slowpoke");
      expect(sent.status).toBe(200);
      expect(sent.ms).toBeLessThan(1000);
      expect(said(await slack.reply(sent.replyTo))).toContain("Added *Slowpoke*");
    } finally {
      slack.fake.slowDown("users.info", 0);
    }
  });

  it("retries a response_url that answered 500", async () => {
    slack.fake.failNext("response_url", 1, { status: 500 });
    const post = await slack.ask(slack.person(), "add Retried Reply");
    expect(said(post)).toContain("Added *Retried Reply*");
  });

  it("sends the answer by direct message when the response_url has expired", async () => {
    const alice = slack.person();
    slack.fake.failNext("response_url", 1, { error: "expired_url" });
    await slack.command(alice, "add Late Answer");
    const dm = await slack.waitFor(() => slack.fake.callsTo("chat.postMessage").find((c) => c.args.channel === `D${alice.user}`));
    expect(visibleText(dm.args)).toContain("Added *Late Answer*");
  });

  it("tells the user when the form could not open in time", async () => {
    slack.fake.failNext("views.open", 1, { error: "expired_trigger_id" });
    const post = await slack.ask(slack.person(), "add");
    expect(said(post)).toContain("The form could not open in time. Please try again.");
  });

  it("reports Slack as connected on /healthz", async () => {
    const health = (await (await fetch(`${slack.url}/healthz`)).json()) as { platforms: Record<string, { status: string }> };
    expect(health.platforms.slack).toEqual({ status: "connected" });
  });
});
