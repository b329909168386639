import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Reply } from "../../src/commands/reply.ts";
import { worldForFile } from "../support/world.ts";

const world = worldForFile();

// What every platform can show: Slack's 50 blocks and 3,000 characters a section is the tighter.
function expectWithinLimits(reply: Reply) {
  expect(reply.blocks.length).toBeLessThanOrEqual(50);
  expect(reply.summary.length).toBeLessThanOrEqual(150);
  for (const block of reply.blocks) {
    if (block.type === "text" || block.type === "context" || block.type === "header")
      expect(block.text.length).toBeLessThanOrEqual(3_000);
    if (block.type === "fields") for (const f of block.fields) expect(f.value.length).toBeLessThanOrEqual(2_000);
  }
}

const verbsAndPieces = fc.constantFrom(
  "add",
  "log",
  "show",
  "list",
  "edit",
  "deal",
  "lost",
  "winback",
  "snooze",
  "link",
  "team",
  "help",
  "添加",
  "记录",
  "查看",
  "列表",
  "修改",
  "商机",
  "流失",
  "挽回",
  "暂缓",
  "绑定",
  "团队",
  "帮助",
  "tier=",
  "等级=",
  "stage=",
  "owner=@",
  "tags=",
  "page=",
  "cadence=",
  '"',
  "“",
  "「",
  "#",
  "<@U1>",
  "＝",
  "open",
  "won",
);
const commandText = fc
  .array(fc.oneof(verbsAndPieces, fc.string({ unit: "grapheme", maxLength: 12 }), fc.constantFrom(" ", "\u3000", "\n")), {
    maxLength: 12,
  })
  .map((parts) => parts.join(" "));

describe("any text at all", () => {
  it("gets a reply that fits the platforms' limits, and never an exception", async () => {
    const ws = await world.workspace();
    const admin = await world.member(ws, "ada", "admin");
    await world.run(ws, admin, "add Acme tier=key");
    await world.run(ws, admin, "deal open Acme ERP");
    await fc.assert(
      fc.asyncProperty(commandText, async (text) => {
        const reply = await world.runOrNull(ws, admin, text);
        if (reply) expectWithinLimits(reply);
        if (reply?.error) expect(reply.blocks[0]?.type).toBe("text");
      }),
      { numRuns: 300 },
    );
  });

  it("a very long command is refused in one line, and a long list still fits", async () => {
    const ws = await world.workspace();
    const admin = await world.member(ws, "ada", "admin");
    const long = await world.run(ws, admin, `log Acme ${"很长的内容".repeat(2_000)}`);
    expect(long.error).toBe(true);
    for (let i = 0; i < 30; i++) await world.run(ws, admin, `add "${"名".repeat(90)}${i}" tags=${"t".repeat(30)}`);
    expectWithinLimits(await world.run(ws, admin, "list"));
  });
});
