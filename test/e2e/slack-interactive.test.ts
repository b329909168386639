import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackHarness, said } from "./slack-harness.ts";

let slack: SlackHarness;
beforeAll(async () => {
  slack = await SlackHarness.start();
});
afterAll(() => slack.stop());

describe("the add modal", () => {
  it("opens at once for a bare `add`, and its submission adds the customer with every field", async () => {
    const alice = slack.person();
    const bob = slack.person({ team: alice.team, name: "Bob" });
    const started = Date.now();
    const sent = await slack.command(alice, "add");
    const view = await slack.openedView(sent.trigger);
    // A trigger_id lives 3 seconds.
    const opened = slack.fake.callsTo("views.open").find((c) => c.args.trigger_id === sent.trigger);
    expect((opened?.at ?? Number.POSITIVE_INFINITY) - started).toBeLessThan(3000);
    expect(view.title.text).toBe("New customer");
    expect(view.blocks.map((b) => b.element?.type)).toEqual([
      "plain_text_input",
      "static_select",
      "static_select",
      "users_select",
      "plain_text_input",
      "plain_text_input",
      "plain_text_input",
    ]);

    const submitted = await slack.submit(alice, view, {
      _: "Zeta",
      tier: "key",
      owner: bob.user,
      tags: "retail, north",
      birthday: "03-14",
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toBe("");
    const post = await slack.reply(sent.replyTo);
    expect(post.body.response_type).toBe("in_channel");
    expect(said(post)).toContain("Added *Zeta* as a key customer.");
    const zeta = await slack.prisma.customer.findFirstOrThrow({ where: { name: "Zeta" }, include: { owner: true } });
    expect(zeta).toMatchObject({ tier: "key", tags: ["retail", "north"], birthday: "03-14" });
    expect(zeta.owner?.externalId).toBe(bob.user);
  });

  it("shows a refused submission beside its field, and takes the corrected one", async () => {
    const alice = slack.person();
    await slack.ask(alice, "add Eta");
    const sent = await slack.command(alice, "add");
    const view = await slack.openedView(sent.trigger);
    const duplicate = await slack.submit(alice, view, { _: "ETA" });
    expect(JSON.parse(duplicate.body)).toEqual({ response_action: "errors", errors: { "f:_": "Eta is already a customer." } });
    const badBirthday = await slack.submit(alice, view, { _: "Theta", birthday: "13-45" });
    expect(JSON.parse(badBirthday.body).errors["f:birthday"]).toContain("birthday=13-45");
    const corrected = await slack.submit(alice, view, { _: "Theta" });
    expect(corrected.body).toBe("");
    const ws = await slack.workspace(alice.team);
    await slack.waitFor(async () => (await slack.prisma.customer.count({ where: { workspaceId: ws.id } })) === 2);
  });
});

describe("buttons on a customer card", () => {
  it("snooze and change stage from the menus, and log through the form, each answered under the card", async () => {
    const alice = slack.person();
    await slack.ask(alice, "add Iota");
    const card = await slack.ask(alice, "show Iota");

    await slack.click(alice, card, "Snooze", "3 days");
    expect(said(await slack.reply(card.id, 2))).toContain("snoozed until 2026-11-28");
    await slack.click(alice, card, "Change stage", "Current");
    expect(said(await slack.reply(card.id, 3))).toContain("Updated *Iota*.");
    const iota = await slack.prisma.customer.findFirstOrThrow({ where: { name: "Iota" } });
    expect(iota.stage).toBe("current");
    expect(iota.snoozedUntil?.toISOString()).toBe("2026-11-27T16:00:00.000Z");

    const clicked = await slack.click(alice, card, "Log interaction");
    const view = await slack.openedView(clicked.trigger);
    expect(view.title.text).toBe("Log: Iota");
    await slack.submit(alice, view, { _: "Called about the renewal", kind: "call" });
    expect(said(await slack.reply(card.id, 4))).toContain("Logged a call with *Iota*.");
    const logged = await slack.prisma.interaction.findFirstOrThrow({ where: { customerId: iota.id } });
    expect(logged).toMatchObject({ kind: "call", summary: "Called about the renewal", source: "slack" });
    // Logging ends the snooze.
    expect((await slack.prisma.customer.findUniqueOrThrow({ where: { id: iota.id } })).snoozedUntil).toBeNull();
  });

  it("pages a long list with Next page, and opens a listed customer's card from the menu", async () => {
    const alice = slack.person();
    for (let i = 1; i <= 12; i++) await slack.ask(alice, `add Client${String(i).padStart(2, "0")}`);
    const first = await slack.ask(alice, "list");
    expect(said(first)).toContain("Customers 1–10 of 12");
    await slack.click(alice, first, "Next page");
    expect(said(await slack.reply(first.id, 2))).toContain("Customers 11–12 of 12");
    await slack.click(alice, first, "Open card", "Client03");
    expect(said(await slack.reply(first.id, 3))).toContain("Client03");
  });
});

describe("the Log to customer message shortcut", () => {
  it("logs a message's text to the customer named, with the message's permalink", async () => {
    const alice = slack.person();
    await slack.ask(alice, "add Kappa Industries");
    const shortcut = await slack.shortcut(alice, {
      ts: "1700000123.000200",
      text: "They want 20 more seats &amp; a discount",
      author: alice.user,
    });
    const view = await slack.openedView(shortcut.trigger);
    expect(view.title.text).toBe("Log to customer");
    expect(view.blocks.find((b) => b.block_id === "f:_")?.element?.initial_value).toBe("They want 20 more seats & a discount");
    const submitted = await slack.submit(alice, view, { customer: "Kappa Industries" });
    expect(submitted.body).toBe("");
    expect(said(await slack.reply(shortcut.replyTo))).toContain("Logged a message with *Kappa Industries*.");
    const logged = await slack.prisma.interaction.findFirstOrThrow({ where: { customer: { name: "Kappa Industries" } } });
    expect(logged).toMatchObject({
      kind: "message",
      summary: "They want 20 more seats & a discount",
      permalink: `https://fake.slack.com/archives/${alice.channel}/p1700000123000200`,
    });
  });

  it("asks before logging to a customer matched only by prefix, and the confirmation keeps the link", async () => {
    const alice = slack.person();
    await slack.ask(alice, "add Lambda Corp");
    const shortcut = await slack.shortcut(alice, { ts: "1700000999.000300", text: "Signed the NDA", author: alice.user });
    const view = await slack.openedView(shortcut.trigger);
    await slack.submit(alice, view, { customer: "lamb" });
    const preview = await slack.reply(shortcut.replyTo);
    expect(said(preview)).toContain("Log this message to *Lambda Corp*?");
    await slack.click(alice, preview, "Save");
    await slack.reply(shortcut.replyTo, 2);
    const logged = await slack.prisma.interaction.findFirstOrThrow({ where: { customer: { name: "Lambda Corp" } } });
    expect(logged.permalink).toBe(`https://fake.slack.com/archives/${alice.channel}/p1700000999000300`);
  });

  it("points at the customer field when no customer matches", async () => {
    const alice = slack.person();
    const shortcut = await slack.shortcut(alice, { ts: "1700000555.000100", text: "hello", author: alice.user });
    const view = await slack.openedView(shortcut.trigger);
    const refused = await slack.submit(alice, view, { customer: "Nobody" });
    expect(JSON.parse(refused.body)).toEqual({
      response_action: "errors",
      errors: { "f:customer": "No customer matches Nobody." },
    });
    expect(await slack.prisma.interaction.count({ where: { author: { externalId: alice.user } } })).toBe(0);
  });
});
