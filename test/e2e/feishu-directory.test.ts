import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROFILE_TTL_MS } from "../../src/platforms/feishu/directory.ts";
import { FeishuHarness, type Speaker } from "./feishu-harness.ts";

let h: FeishuHarness;
beforeAll(async () => {
  h = await FeishuHarness.start();
});
afterAll(() => h.stop());

const member = (tenantKey: string, openId: string) =>
  h.prisma.member.findFirstOrThrow({
    where: { externalId: openId, workspace: { platform: "feishu", externalId: tenantKey } },
    include: { manager: true },
  });

describe("members and managers from Feishu's contact API", () => {
  const tenantKey = "tenant_org";
  const rep: Speaker = { openId: "ou_rep", tenantKey };

  it("learns a member's name and manager (leader_user_id) the first time they write", async () => {
    h.fake.addUser({ open_id: "ou_owner", name: "老板", is_tenant_manager: true });
    h.fake.addUser({ open_id: "ou_rep", name: "小王", leader_user_id: "ou_lead" });
    h.fake.addUser({ open_id: "ou_lead", name: "李经理", leader_user_id: "ou_owner" });
    await h.say("帮助", rep);
    const wang = await member(tenantKey, "ou_rep");
    expect(wang.displayName).toBe("小王");
    expect(wang.manager).toMatchObject({ externalId: "ou_lead", displayName: "李经理", role: "manager" });
  });

  it("keeps the answer for a while rather than asking on every message", async () => {
    const asked = h.fake.count("contact.user.get");
    await h.say("帮助", rep);
    await h.say("列表", rep);
    expect(h.fake.count("contact.user.get")).toBe(asked);
  });

  it("follows the org chart when the manager changes there", async () => {
    h.fake.addUser({ open_id: "ou_lead2", name: "赵经理" });
    h.fake.addUser({ open_id: "ou_rep", name: "小王", leader_user_id: "ou_lead2" });
    await h.say("帮助", rep);
    expect((await member(tenantKey, "ou_rep")).manager?.externalId).toBe("ou_lead");
    h.clock.advanceMs(PROFILE_TTL_MS + 1_000);
    await h.say("帮助", rep);
    expect((await member(tenantKey, "ou_rep")).manager?.externalId).toBe("ou_lead2");
  });

  it("clears the manager when the org chart gives none", async () => {
    h.fake.addUser({ open_id: "ou_rep", name: "小王", leader_user_id: "" });
    h.clock.advanceMs(PROFILE_TTL_MS + 1_000);
    await h.say("帮助", rep);
    expect((await member(tenantKey, "ou_rep")).managerId).toBeNull();
  });

  it("makes the tenant's super administrator an admin", async () => {
    await h.say("帮助", { openId: "ou_owner", tenantKey });
    expect((await member(tenantKey, "ou_owner")).role).toBe("admin");
  });

  it("keeps a manager set by hand, whatever the org chart says later", async () => {
    h.fake.addUser({ open_id: "ou_rep", name: "小王", leader_user_id: "ou_lead" });
    await h.say("团队 @_user_1 经理=@_user_2", {
      openId: "ou_owner",
      tenantKey,
      mentions: [
        { openId: "ou_rep", name: "小王" },
        { openId: "ou_lead2", name: "赵经理" },
      ],
    });
    h.clock.advanceMs(PROFILE_TTL_MS + 1_000);
    await h.say("帮助", rep);
    const wang = await member(tenantKey, "ou_rep");
    expect(wang).toMatchObject({ managerManual: true });
    expect(wang.manager?.externalId).toBe("ou_lead2");
  });

  it("still serves someone the app may not look up, under their open_id", async () => {
    await h.say("帮助", { openId: "ou_stranger", tenantKey });
    expect(await member(tenantKey, "ou_stranger")).toMatchObject({ displayName: "ou_stranger", managerId: null });
  });
});
