import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardText } from "../fakes/feishu-cards.ts";
import { visibleText } from "../fakes/slack-api.ts";
import { FeishuHarness, until } from "./feishu-harness.ts";
import { SlackHarness } from "./slack-harness.ts";

// A survey from the customer's channel to the customer's answer and the owner's alert, through
// each platform's real adapter and the survey page on the same server.
let slack: SlackHarness;
let feishu: FeishuHarness;
beforeAll(async () => {
  slack = await SlackHarness.start();
  feishu = await FeishuHarness.start();
});
afterAll(async () => {
  await slack.stop();
  await feishu.stop();
});

function linkIn(text: string): string {
  const match = /\/s\/([A-Za-z0-9_-]{20,})/.exec(text);
  if (!match) throw new Error(`no survey link in: ${text.slice(0, 300)}`);
  return `/s/${match[1]}`;
}

async function answer(base: string, path: string, form: Record<string, string>) {
  const page = await fetch(`${base}${path}`);
  expect(page.status).toBe(200);
  return fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
}

describe("surveys from Slack", () => {
  it("post the link into the customer's linked channel, and an unhappy answer reaches the owner", async () => {
    const rep = slack.person({ name: "alice" });
    await slack.ask(rep, "add Acme tier=key channel=here");
    await slack.ask(rep, "survey Acme");
    const post = await slack.waitFor(() => slack.fake.callsTo("chat.postMessage").find((c) => c.args.channel === rep.channel));
    const path = linkIn(JSON.stringify(post.args));
    const submitted = await answer(slack.url, path, { csat: "2", nps: "3", comment: "Support was slow" });
    expect(submitted.status).toBe(200);
    const alert = await slack.waitFor(() =>
      slack.fake
        .callsTo("chat.postMessage")
        .find((c) => c.args.channel === `D${rep.user}` && visibleText(c.args).includes("Support was slow")),
    );
    expect(visibleText(alert.args)).toContain("Acme");
    const again = await answer(slack.url, path, { csat: "5", nps: "10" });
    expect(again.status).toBe(409);
  });
});

describe("surveys from Feishu", () => {
  it("post the link into the group linked to the customer", async () => {
    const rep = { openId: "ou_survey_rep", tenantKey: "tenant_survey", chatId: "oc_group_survey", chatType: "group" as const };
    feishu.fake.addUser({ open_id: rep.openId, name: "小李" });
    await feishu.say("添加 北京科技 等级=重点", rep);
    await feishu.say("绑定 北京科技", rep);
    const [answered] = await feishu.say("调查 北京科技", rep);
    expect(cardText(answered?.card)).toContain("北京科技 的满意度调查链接已发到");
    const posted = await until(
      () =>
        feishu.fake.messages.find(
          (m) => m.receiveId === rep.chatId && m.kind === "create" && /\/s\//.test(JSON.stringify(m.card)),
        ),
      "a survey link in the group",
    );
    expect(cardText(posted.card)).toContain("请为我们的服务打分");
    const path = linkIn(JSON.stringify(posted.card));
    const base = `http://127.0.0.1:${feishu.server.port}`;
    const page = await fetch(`${base}${path}`);
    expect(await page.text()).toContain("北京科技");
    expect((await answer(base, path, { csat: "5", nps: "10" })).status).toBe(200);
  });
});
