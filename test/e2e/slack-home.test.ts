import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { visibleText } from "../fakes/slack-api.ts";
import type { SlackPerson } from "../fakes/slack-payloads.ts";
import { SlackHarness } from "./slack-harness.ts";

let slack: SlackHarness;
beforeAll(async () => {
  slack = await SlackHarness.start();
});
afterAll(() => slack.stop());
beforeEach(() => slack.clock.set("2026-11-25T02:00:00Z"));

interface PublishedView {
  id: string;
  type: string;
  blocks: unknown[];
}

/** The `count`-th Home tab published for `who`. */
async function homeOf(who: SlackPerson, count = 1): Promise<PublishedView> {
  const call = await slack.waitFor(
    () => slack.fake.callsTo("views.publish").filter((c) => c.args.user_id === who.user)[count - 1],
  );
  return { ...(call.args.view as Omit<PublishedView, "id">), id: `VHOME${who.user}` };
}

/** Alice has two overdue customers and one due soon; Bob, in the same team, has his own. */
async function aliceWithRevisits() {
  const alice = slack.person({ name: "Alice" });
  const bob = slack.person({ team: alice.team, name: "Bob" });
  await slack.ask(alice, "add Old Key tier=key");
  await slack.ask(alice, "add Fresh Prospect tier=prospect");
  await slack.ask(alice, "add Monthly");
  await slack.ask(bob, "add Bobs Own tier=key");
  // 20 days on: the key customer (weekly) is 13 days overdue, the prospect (fortnightly) 6.
  slack.clock.advanceDays(20);
  await slack.ask(alice, "add Soon tier=key");
  return { alice, bob };
}

describe("the App Home tab", () => {
  it("shows the member's own overdue revisits, most overdue first, then those due within a week", async () => {
    const { alice } = await aliceWithRevisits();
    const sent = await slack.openHome(alice);
    expect(sent.status).toBe(200);
    const view = await homeOf(alice);
    expect(view.type).toBe("home");
    const text = visibleText(view);
    expect(text).toContain("Your revisits");
    expect(text).toContain("Overdue (2)");
    expect(text).toContain("Due in the next 7 days (1)");
    expect(text.indexOf("Old Key")).toBeLessThan(text.indexOf("Fresh Prospect"));
    expect(text.indexOf("Fresh Prospect")).toBeLessThan(text.indexOf("Soon"));
    expect(text).toContain("13 days overdue");
    expect(text).not.toContain("Monthly");
    expect(text).not.toContain("Bobs Own");
    expect(view.blocks.length).toBeLessThanOrEqual(100);
  });

  it("tells a member with nothing due that all is well, in their language", async () => {
    const chen = slack.person({ locale: "zh-CN" });
    await slack.openHome(chen);
    expect(visibleText(await homeOf(chen))).toContain("没有逾期或即将到期的回访");
  });

  it("answers a Home button by direct message and refreshes the tab", async () => {
    const { alice } = await aliceWithRevisits();
    await slack.openHome(alice);
    const view = await homeOf(alice);
    await slack.clickHome(alice, view, "Open card");
    const dm = await slack.waitFor(() => slack.fake.callsTo("chat.postMessage").find((c) => c.args.channel === `D${alice.user}`));
    expect(visibleText(dm.args)).toContain("Old Key");
    expect(slack.fake.callsTo("conversations.open").some((c) => c.args.users === alice.user)).toBe(true);
    await homeOf(alice, 2);
  });

  it("snoozing from the tab takes the customer out of Overdue", async () => {
    const { alice } = await aliceWithRevisits();
    await slack.openHome(alice);
    await slack.clickHome(alice, await homeOf(alice), "Snooze", "3 days");
    const refreshed = visibleText(await homeOf(alice, 2));
    expect(refreshed).toContain("Overdue (1)");
    expect(refreshed).toContain("snoozed until");
  });

  it("logs an interaction through the tab's form, and the customer is no longer overdue", async () => {
    const { alice } = await aliceWithRevisits();
    await slack.openHome(alice);
    const clicked = await slack.clickHome(alice, await homeOf(alice), "Log interaction");
    const form = await slack.openedView(clicked.trigger);
    expect(form.title.text).toBe("Log: Old Key");
    expect((await slack.submit(alice, form, { _: "Visited the plant" })).body).toBe("");
    expect(visibleText(await homeOf(alice, 2))).toContain("Overdue (1)");
    const dm = await slack.waitFor(() =>
      slack.fake
        .callsTo("chat.postMessage")
        .find((c) => c.args.channel === `D${alice.user}` && /Old Key/.test(String(c.args.text))),
    );
    expect(visibleText(dm.args)).toContain("Logged a visit with *Old Key*.");
  });

  it("publishes once for an event Slack retries", async () => {
    const alice = slack.person();
    await slack.openHome(alice, "Ev0RETRIED01");
    await homeOf(alice);
    const retry = await slack.openHome(alice, "Ev0RETRIED01", {
      "x-slack-retry-num": "1",
      "x-slack-retry-reason": "http_timeout",
    });
    expect(retry.status).toBe(200);
    await slack.openHome(alice, "Ev0SECOND001");
    await homeOf(alice, 2);
    expect(slack.fake.callsTo("views.publish").filter((c) => c.args.user_id === alice.user)).toHaveLength(2);
  });
});
