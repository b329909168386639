// A burst beyond what the server holds (COMMAND_BACKLOG): the commands over the bound are refused
// at once, each answered in its own language with "try again", and write nothing; the rest run;
// the server takes commands again as soon as the burst is through.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabaseKind } from "../support/database.ts";
import { SlackHarness, said } from "./slack-harness.ts";

const BACKLOG = 3;
const BURST = 10;

let slack: SlackHarness;
beforeAll(async () => {
  slack = await SlackHarness.start({ env: { COMMAND_BACKLOG: String(BACKLOG), DATABASE_POOL_SIZE: "1" } });
});
afterAll(() => slack.stop());

describe("a burst of commands beyond the backlog", () => {
  it("refuses the excess at once in the user's language, writes nothing for it, and runs the rest", async () => {
    const team = slack.person().team;
    // Each command waits 1.5 s for users.info (a new person each), so the burst piles up.
    slack.fake.slowDown("users.info", 1_500);
    const typed = Array.from({ length: BURST }, (_, i) => (i % 2 === 0 ? `add Burst${i}` : `添加 突发${i}`));
    const sent = await Promise.all(typed.map((text) => slack.command(slack.person({ team }), text)));
    expect(sent.map((s) => s.status)).toEqual(typed.map(() => 200));
    // Those taken are now waiting: the next command is refused in its acknowledgement, and nothing follows it.
    const late = await slack.command(slack.person({ team }), "添加 晚到");
    expect(late.status).toBe(200);
    expect((JSON.parse(late.body) as { text: string }).text).toContain("机器人此刻正处理大量命令，你的命令没有执行");
    // A command is refused in its acknowledgement, or (when the backlog filled after it was acknowledged) by a message.
    const answers = await Promise.all(
      sent.map(async (s) => (s.body ? (JSON.parse(s.body) as { text: string }).text : said(await slack.reply(s.replyTo)))),
    );
    slack.fake.slowDown("users.info", 0);
    expect(slack.fake.postsTo(late.replyTo)).toEqual([]);

    const refused = typed.filter((_, i) => answers[i]?.includes("⚠️"));
    for (const [i, text] of typed.entries()) {
      const answer = answers[i];
      if (!refused.includes(text)) expect(answer).toMatch(i % 2 === 0 ? /Added \*Burst\d+\*/ : /已添加 \*突发\d+\*/);
      else if (i % 2 === 0) expect(answer).toContain("taking a burst of commands right now, so yours was not run");
      else expect(answer).toContain("机器人此刻正处理大量命令，你的命令没有执行");
    }
    // At most the backlog runs (with the embedded database one more, at work while the backlog waits).
    expect(refused.length).toBeGreaterThanOrEqual(BURST - BACKLOG - 1);
    expect(refused.length).toBeLessThan(BURST);
    const workspace = await slack.workspace(team);
    expect(await slack.prisma.customer.count({ where: { workspaceId: workspace.id } })).toBe(BURST - refused.length);
    // Each refusal counted and logged once, the late one's too.
    expect(await slack.metric('crm_commands_total{platform="slack",verb="add",outcome="busy"}')).toBe(refused.length + 1);
    expect(slack.logs.filter((line) => line.includes("too many waiting"))).toHaveLength(refused.length + 1);

    // Through the burst, commands run again.
    const later = await slack.ask(slack.person({ team }), "add AfterBurst");
    expect(said(later)).toContain("Added *AfterBurst*");
  });

  it("keeps a form refused in a burst open, with what was typed and why (without the command thread, runs it)", async () => {
    const team = slack.person().team;
    const carol = slack.person({ team });
    const opened = await slack.command(carol, "add");
    const view = await slack.openedView(opened.trigger);
    const busyBefore = await slack.metric('crm_commands_total{platform="slack",verb="add",outcome="busy"}');
    slack.fake.slowDown("users.info", 1_500);
    const burst = await Promise.all(
      Array.from({ length: BACKLOG }, (_, i) => slack.command(slack.person({ team }), `add Crowd${i}`)),
    );
    const submitted = await slack.submit(carol, view, { _: "Form Co" });
    const answers = await Promise.all(burst.map((s) => slack.reply(s.replyTo)));
    slack.fake.slowDown("users.info", 0);

    expect(submitted.status).toBe(200);
    expect(answers.map((a) => said(a))).toEqual(burst.map((_, i) => expect.stringContaining(`Added *Crowd${i}*`)));
    const workspace = await slack.workspace(team);
    const formCo = { where: { workspaceId: workspace.id, name: "Form Co" } };
    const busy = 'crm_commands_total{platform="slack",verb="add",outcome="busy"}';
    if (testDatabaseKind === "pglite") {
      // The embedded database has no command thread: a form runs in the thread that answers Slack,
      // outside the bound, and is saved.
      expect(submitted.body).toBe("");
      await slack.waitFor(async () => (await slack.prisma.customer.count(formCo)) === 1);
      expect(await slack.metric(busy)).toBe(busyBefore);
      return;
    }
    const ack = JSON.parse(submitted.body) as { response_action: string; errors: Record<string, string> };
    expect(ack.response_action).toBe("errors");
    expect(Object.values(ack.errors).join(" ")).toContain("taking a burst of commands right now, so yours was not run");
    expect(await slack.prisma.customer.count(formCo)).toBe(0);
    expect(await slack.metric(busy)).toBe(busyBefore + 1);
  });
});
