import { describe, expect, it } from "vitest";
import type { Reply } from "../../src/commands/reply.ts";
import { readActionValue } from "../../src/platforms/feishu/action-value.ts";
import { CardRenderer } from "../../src/platforms/feishu/card.ts";
import { fromEphemeralCard, markEphemeral } from "../../src/platforms/feishu/ephemeral.ts";
import { formCard } from "../../src/platforms/feishu/form-card.ts";

const renderer = new CardRenderer("https://applink.feishu.cn");

type Node = Record<string, unknown>;
function callbacks(value: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const item of value) callbacks(item, out);
  else if (value && typeof value === "object") {
    if ((value as Node).type === "callback") out.push((value as Node).value);
    for (const child of Object.values(value as Node)) callbacks(child, out);
  }
  return out;
}

const customerCard: Reply = {
  visibility: "ephemeral",
  locale: "zh",
  summary: "北京科技",
  blocks: [
    { type: "header", text: "北京科技" },
    {
      type: "actions",
      actions: [
        { kind: "command", label: "暂缓", command: "snooze 北京科技 1" },
        { kind: "select", placeholder: "修改阶段", options: [{ label: "成交", command: "edit 北京科技 stage=current" }] },
        { kind: "link", label: "打开", url: "https://example.com" },
      ],
    },
  ],
};

describe("cards shown to one person", () => {
  it("mark every button and menu, and the buttons still read as before", () => {
    const [card] = renderer.reply(customerCard);
    const marked = callbacks(markEphemeral(card as NonNullable<typeof card>));
    expect(marked).toHaveLength(2);
    for (const value of marked) {
      expect(fromEphemeralCard(value)).toBe(true);
      expect(readActionValue(value)).not.toBeNull();
    }
    expect(callbacks(card).some(fromEphemeralCard)).toBe(false);
  });

  it("mark a form's submit button, also when the value comes back as a JSON string", () => {
    const form = formCard(renderer, { verb: "add", title: "新增客户", submitLabel: "提交", fields: [] }, "zh");
    const [submit] = callbacks(markEphemeral(form));
    expect(fromEphemeralCard(JSON.stringify(submit))).toBe(true);
    expect(readActionValue(JSON.stringify(submit))).toMatchObject({ submit: { form: { verb: "add" } } });
    expect(fromEphemeralCard("not json")).toBe(false);
  });
});
