import { describe, expect, it } from "vitest";
import { ensureMember, findActor } from "../../src/domain/members.ts";
import { worldForFile } from "../support/world.ts";

const world = worldForFile();

describe("who acts", () => {
  it("is read in one look-up exactly as the workspace and member are stored", async () => {
    const ws = await world.workspace({ platform: "slack", settings: { digestHour: 9 } });
    const carol = await world.member(ws, "carol", "manager");
    await world.member(ws, "alice", "rep", carol);
    const stored = await world.db.prisma.member.findUniqueOrThrow({
      where: { workspaceId_externalId: { workspaceId: ws.id, externalId: "alice" } },
    });
    const known = await findActor(world.deps, "slack", ws.externalId, "alice");
    expect(known).toEqual({ workspace: ws, member: stored });
    expect(known?.member?.createdAt).toBeInstanceOf(Date);
  });

  it("knows a workspace without the member, and nothing of a workspace not yet seen", async () => {
    const ws = await world.workspace({ platform: "slack" });
    expect(await findActor(world.deps, "slack", ws.externalId, "nobody")).toEqual({ workspace: ws, member: null });
    expect(await findActor(world.deps, "slack", "T-unknown", "nobody")).toBeUndefined();
    // The same team id on another platform is another workspace.
    expect(await findActor(world.deps, "feishu", ws.externalId, "nobody")).toBeUndefined();
  });

  it("a member known to be new is created without being looked up, and one already there is kept", async () => {
    const ws = await world.workspace({ platform: "slack" });
    const created = await ensureMember(world.deps, ws, { externalId: "U1", displayName: "Una", isAdmin: false }, undefined, null);
    expect(created).toMatchObject({ externalId: "U1", displayName: "Una", role: "rep" });
    const known = await findActor(world.deps, "slack", ws.externalId, "U1");
    const again = await ensureMember(world.deps, ws, { externalId: "U1", displayName: "Una" }, undefined, known?.member);
    expect(again).toEqual(created);
  });
});
