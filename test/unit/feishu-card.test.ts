import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Action, type Block, decodeAction, type Form, type Reply } from "../../src/commands/reply.ts";
import { MAX_COMMAND_LENGTH } from "../../src/commands/run.ts";
import { readActionValue } from "../../src/platforms/feishu/action-value.ts";
import {
  CARD_MAX_BYTES,
  CARD_MAX_COMPONENTS,
  type Card,
  CardRenderer,
  countComponents,
} from "../../src/platforms/feishu/card.ts";
import { formCard, submittedValues } from "../../src/platforms/feishu/form-card.ts";
import { toCardMarkdown } from "../../src/platforms/feishu/markdown.ts";

const renderer = new CardRenderer("https://applink.feishu.cn");
const markdownOptions = { groupLabel: "群聊", applinkHost: "https://applink.feishu.cn" };

type Node = Record<string, unknown>;
function nodes(value: unknown, out: Node[] = []): Node[] {
  if (Array.isArray(value)) for (const item of value) nodes(item, out);
  else if (value && typeof value === "object") {
    out.push(value as Node);
    for (const child of Object.values(value as Node)) nodes(child, out);
  }
  return out;
}

const reply = (blocks: Block[], extra: Partial<Reply> = {}): Reply => ({
  visibility: "channel",
  locale: "zh",
  summary: "摘要",
  blocks,
  ...extra,
});

describe("the reply markdown in Feishu's dialect", () => {
  it("turns member mentions into <at> and keeps bold and links", () => {
    expect(toCardMarkdown("**北京科技** 由 <@ou_abc|小王> 负责，见 [详情](https://example.com/x)", markdownOptions)).toBe(
      "**北京科技** 由 <at id=ou_abc></at> 负责，见 [详情](https://example.com/x)",
    );
  });

  it("turns a group into a link that opens it", () => {
    expect(toCardMarkdown("绑定到 <#oc_123>", markdownOptions)).toBe(
      "绑定到 [#群聊](https://applink.feishu.cn/client/chat/open?openChatId=oc_123)",
    );
  });

  it("escapes markup a user typed, so a name cannot @ everyone", () => {
    const rendered = toCardMarkdown('客户 <at id=all></at> 和 <font color="red">x</font>', markdownOptions);
    expect(rendered).not.toMatch(/<at|<font/);
    expect(rendered).toContain("&#60;at id=all&#62;");
  });

  it("drops links that are not http(s)", () => {
    expect(toCardMarkdown("[点我](javascript:alert(1))", markdownOptions)).not.toContain("javascript:");
  });
});

describe("a reply as a card", () => {
  it("puts a leading header in the card's header, fields side by side, buttons and menus with their commands", () => {
    const [card] = renderer.reply(
      reply([
        { type: "header", text: "北京科技" },
        {
          type: "fields",
          fields: [
            { label: "等级", value: "重点客户" },
            { label: "阶段", value: "潜在" },
            { label: "地区", value: "华北" },
          ],
        },
        {
          type: "actions",
          actions: [
            { kind: "command", label: "查看客户", command: "show #c1", style: "primary" },
            { kind: "select", placeholder: "暂缓", options: [{ label: "1 天", command: "snooze #c1 1" }] },
          ],
        },
      ]),
    );
    expect(card?.header).toMatchObject({ title: { tag: "plain_text", content: "北京科技" } });
    const all = nodes(card?.body);
    expect(all.filter((n) => n.tag === "column_set" && (n.columns as unknown[]).length === 2)).toHaveLength(1);
    const button = all.find((n) => n.tag === "button") as Node;
    const value = readActionValue((button.behaviors as Node[])[0]?.value);
    expect(value && "a" in value && decodeAction(value.a)).toEqual({ locale: "zh", command: "show #c1" });
    const menu = all.find((n) => n.tag === "select_static") as Node;
    expect(decodeAction(String((menu.options as Node[])[0]?.value))).toEqual({ locale: "zh", command: "snooze #c1 1" });
  });

  it("pages a very long list into several cards, each marked as continued", () => {
    const lines = Array.from({ length: 3_000 }, (_, i) => `• 客户${i} · 重点客户 · <@ou_${i}|某人>`).join("\n");
    const cards = renderer.reply(reply([{ type: "text", text: lines }]));
    expect(cards.length).toBeGreaterThan(1);
    expect(JSON.stringify(cards[1])).toContain("（续，第 2/");
    const text = cards
      .flatMap((c) =>
        nodes(c.body)
          .filter((n) => n.tag === "markdown")
          .map((n) => String(n.content)),
      )
      .join("\n");
    expect(text).toContain("客户0 ");
    expect(text).toContain("客户2999 ");
  });
});

describe("a form as a card", () => {
  const form: Form = {
    verb: "log",
    title: "记录：北京科技",
    submitLabel: "保存",
    hidden: { customer: "#c1" },
    fields: [
      { name: "kind", label: "方式", kind: "select", initial: "visit", options: [{ label: "拜访", value: "visit" }] },
      { name: "_", label: "沟通内容", kind: "multiline" },
      { name: "owner", label: "负责人", kind: "member", optional: true },
      { name: "date", label: "日期", kind: "date", optional: true },
    ],
  };

  it("holds a form container with one named input per field and a submit button carrying the form", () => {
    const card = formCard(renderer, form, "zh");
    const container = nodes(card.body).find((n) => n.tag === "form") as Node;
    const inputs = nodes(container.elements).filter(
      (n) => typeof n.name === "string" && typeof n.tag === "string" && n.tag !== "button",
    );
    expect(inputs.map((n) => [n.tag, n.name, n.required])).toEqual([
      ["select_static", "field_0", true],
      ["input", "field_1", true],
      ["select_person", "field_2", false],
      ["date_picker", "field_3", false],
    ]);
    const submit = nodes(container.elements).find((n) => n.form_action_type === "submit") as Node;
    expect(readActionValue((submit.behaviors as Node[])[0]?.value)).toEqual({ submit: { form, l: "zh" } });
  });

  it("reads a submission back as the verb's values: people as mentions, dates as days, hidden values kept", () => {
    expect(
      submittedValues(form, { field_0: "call", field_1: "谈了价格", field_2: "ou_zhou", field_3: "2026-11-20 +0800" }),
    ).toEqual({
      customer: "#c1",
      kind: "call",
      _: "谈了价格",
      owner: "<@ou_zhou>",
      date: "2026-11-20",
    });
  });
});

// Replies as the verbs build them, and far larger: every one must render to cards Feishu accepts.
const text = fc.string({ unit: "grapheme", maxLength: 3_000, size: "max" });
const short = fc.string({ unit: "grapheme", minLength: 1, maxLength: 200 });
const command = fc.string({ unit: "grapheme", minLength: 1, maxLength: MAX_COMMAND_LENGTH, size: "+1" });
const formArb: fc.Arbitrary<Form> = fc.record({
  verb: fc.constantFrom("add", "log"),
  title: short,
  submitLabel: short,
  hidden: fc.dictionary(fc.string({ maxLength: 10 }), short, { maxKeys: 3 }),
  fields: fc.array(
    fc.record({
      name: fc.string({ minLength: 1, maxLength: 12 }),
      label: short,
      kind: fc.constantFrom("text", "multiline", "select", "member", "date"),
      optional: fc.boolean(),
      options: fc.array(fc.record({ label: short, value: fc.string({ minLength: 1, maxLength: 20 }) }), { maxLength: 8 }),
    }),
    { maxLength: 8 },
  ),
});
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant("command" as const), label: short, command }),
  fc.record({
    kind: fc.constant("select" as const),
    placeholder: short,
    options: fc.array(fc.record({ label: short, command }), { maxLength: 150, size: "+1" }),
  }),
  fc.record({ kind: fc.constant("link" as const), label: short, url: fc.webUrl() }),
  fc.record({ kind: fc.constant("form" as const), label: short, form: formArb }),
);
const block: fc.Arbitrary<Block> = fc.oneof(
  fc.record({ type: fc.constant("header" as const), text: short }),
  fc.record({ type: fc.constant("text" as const), text }),
  fc.record({ type: fc.constant("context" as const), text }),
  fc.record({ type: fc.constant("divider" as const) }),
  fc.record({
    type: fc.constant("fields" as const),
    fields: fc.array(fc.record({ label: short, value: short }), { maxLength: 30 }),
  }),
  fc.record({ type: fc.constant("actions" as const), actions: fc.array(action, { maxLength: 8 }) }),
);
const replyArb: fc.Arbitrary<Reply> = fc.record({
  visibility: fc.constantFrom("ephemeral" as const, "channel" as const),
  locale: fc.constantFrom("en" as const, "zh" as const),
  blocks: fc.array(block, { maxLength: 60, size: "+1" }),
  summary: short,
  error: fc.boolean(),
});

function checkCard(card: Card): void {
  expect(card.schema).toBe("2.0");
  expect(Array.isArray(card.body.elements)).toBe(true);
  expect(card.body.elements.length).toBeGreaterThan(0);
  expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(CARD_MAX_BYTES);
  expect(countComponents(card)).toBeLessThanOrEqual(CARD_MAX_COMPONENTS);
  for (const node of nodes(card.body)) {
    if (node.tag === "markdown") expect(typeof node.content).toBe("string");
    if (node.tag === "button") {
      const behaviors = node.behaviors as { type: string; value?: unknown; default_url?: string }[];
      expect(behaviors.length).toBe(1);
      const [behavior] = behaviors;
      if (behavior?.type === "callback") expect(readActionValue(behavior.value)).not.toBeNull();
      else expect(behavior?.default_url).toMatch(/^https?:\/\//);
    }
    if (node.tag === "select_static" && !node.name) {
      const options = node.options as { value: string }[];
      expect(options.length).toBeGreaterThan(0);
      expect(options.length).toBeLessThanOrEqual(100);
      expect(new Set(options.map((o) => o.value)).size).toBe(options.length);
    }
    if (node.tag === "column_set") expect((node.columns as unknown[]).length).toBeGreaterThan(0);
  }
}

describe("any reply", () => {
  it("renders to cards of valid structure, each within Feishu's size and component limits", () => {
    let paged = 0;
    fc.assert(
      fc.property(replyArb, (r) => {
        const cards = renderer.reply(r);
        if (cards.length > 1) paged++;
        for (const card of cards) checkCard(card);
      }),
      { numRuns: 150 },
    );
    // The runs must include replies too long for one card, or the limits were never tried.
    expect(paged).toBeGreaterThan(5);
  });

  it("keeps every button, menu and link it had", () => {
    fc.assert(
      fc.property(replyArb, (r) => {
        const rendered = renderer.reply(r).flatMap((c) => nodes(c.body));
        const expected = r.blocks
          .flatMap((b) => (b.type === "actions" ? b.actions : []))
          .filter((a) => a.kind !== "select" || a.options.length > 0);
        const interactive = rendered.filter((n) => n.tag === "button" || n.tag === "select_static");
        expect(interactive).toHaveLength(expected.length);
      }),
      { numRuns: 200 },
    );
  });

  it("turns any form into a card within the limits, whose submit button reads back", () => {
    fc.assert(
      fc.property(formArb, fc.constantFrom("en" as const, "zh" as const), (form, locale) => {
        checkCard(formCard(renderer, form, locale));
      }),
      { numRuns: 200 },
    );
  });
});
