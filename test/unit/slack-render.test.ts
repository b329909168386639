import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Action, type Block, decodeAction, type Form, type Reply } from "../../src/commands/reply.ts";
import { decodeForm } from "../../src/platforms/slack/modal.ts";
import { splitText, toMrkdwn } from "../../src/platforms/slack/mrkdwn.ts";
import { LIMITS, renderMessages } from "../../src/platforms/slack/render.ts";
import { unpackValue } from "../../src/platforms/slack/values.ts";

describe("the replies' markdown in Slack's mrkdwn", () => {
  it.each([
    ["**Acme** is due", "*Acme* is due"],
    ["see [the card](https://crm.example.com/c/1)", "see <https://crm.example.com/c/1|the card>"],
    ["owner: <@U123ABC|Alice Smith>", "owner: <@U123ABC>"],
    ["linked to <#C0SALES> and <#C0OPS|ops>", "linked to <#C0SALES> and <#C0OPS|ops>"],
    ["a < b & c > d", "a &lt; b &amp; c &gt; d"],
    ["<!here> <https://evil.example|bank>", "&lt;!here&gt; &lt;https://evil.example|bank&gt;"],
    ["[click](javascript:alert(1))", "click (javascript:alert(1))"],
    ["**[Acme](https://x.example/a?b=1&c=2)**", "*<https://x.example/a?b=1&c=2|Acme>*"],
  ])("%s", (input, output) => {
    expect(toMrkdwn(input)).toBe(output);
  });

  it("keeps bold next to Chinese text bold, with an invisible space", () => {
    expect(toMrkdwn("已添加**北京科技**（重点客户）")).toBe("已添加\u200b*北京科技*（重点客户）");
  });
});

describe("splitting long text", () => {
  it("splits at line breaks and keeps every line whole", () => {
    const lines = Array.from({ length: 100 }, (_, i) => `• customer ${i} ${"x".repeat(50)}`);
    const pieces = splitText(lines.join("\n"), 3000);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.every((p) => p.length <= 3000)).toBe(true);
    expect(pieces.flatMap((p) => p.split("\n"))).toEqual(lines);
  });

  it("breaks an over-long line at a space, never inside a link or mention", () => {
    const line = `${"word ".repeat(590)}<https://example.com/${"a".repeat(40)}|link> end`;
    const pieces = splitText(line, 3000);
    expect(pieces.every((p) => p.length <= 3000)).toBe(true);
    expect(pieces.some((p) => p.includes(`<https://example.com/${"a".repeat(40)}|link>`))).toBe(true);
  });
});

const piece = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom(
    "**bold**",
    "[label](https://example.com/a?b=1&c=2)",
    "<@U0ALICE|Alice>",
    "<#C0SALES>",
    "\n",
    " ",
    "北京科技",
    "&<>",
    "😀",
    "`code`",
  ),
  fc.string({ unit: "grapheme-ascii", minLength: 200, maxLength: 1200 }),
);
// "max" size: long texts (past 3,000 characters) are as likely as short ones.
const text = fc.array(piece, { maxLength: 40, size: "max" }).map((parts) => parts.join(""));
const shortText = fc.string({ unit: "grapheme", maxLength: 120 });
const command = fc.oneof(shortText, fc.string({ unit: "grapheme", maxLength: 3000 }));

const field = fc.record({
  name: fc.constantFrom("_", "tier", "owner", "summary"),
  label: shortText,
  kind: fc.constantFrom("text", "multiline", "select", "member", "date") as fc.Arbitrary<
    "text" | "multiline" | "select" | "member" | "date"
  >,
  options: fc.array(fc.record({ label: shortText, value: fc.string({ maxLength: 20 }) }), { maxLength: 8 }),
});
const form: fc.Arbitrary<Form> = fc.record({
  verb: fc.constantFrom("add", "log"),
  title: shortText,
  submitLabel: shortText,
  hidden: fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 60 }), { maxKeys: 3 }),
  fields: fc.array(field, { maxLength: 8 }),
});

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant("command" as const), label: shortText, command }),
  fc.record({ kind: fc.constant("form" as const), label: shortText, form }),
  fc.record({
    kind: fc.constant("select" as const),
    placeholder: shortText,
    options: fc.array(fc.record({ label: shortText, command: shortText }), { maxLength: 150 }),
  }),
  fc.record({ kind: fc.constant("link" as const), label: shortText, url: fc.webUrl() }),
);

const block: fc.Arbitrary<Block> = fc.oneof(
  fc.record({ type: fc.constant("header" as const), text: shortText }),
  fc.record({ type: fc.constant("text" as const), text }),
  fc.record({ type: fc.constant("context" as const), text }),
  fc.record({ type: fc.constant("divider" as const) }),
  fc.record({
    type: fc.constant("fields" as const),
    fields: fc.array(fc.record({ label: shortText, value: text }), { maxLength: 25 }),
  }),
  fc.record({ type: fc.constant("actions" as const), actions: fc.array(action, { maxLength: 40 }) }),
);

const reply: fc.Arbitrary<Reply> = fc.record({
  visibility: fc.constantFrom("ephemeral", "channel") as fc.Arbitrary<"ephemeral" | "channel">,
  locale: fc.constantFrom("en", "zh") as fc.Arbitrary<"en" | "zh">,
  summary: text,
  blocks: fc.oneof(fc.array(block, { maxLength: 10 }), fc.array(block, { minLength: 30, maxLength: 90 })),
});

type Json = Record<string, unknown>;
const plainText = (value: unknown) => (value as { text: string }).text;

function assertWithinLimits(block: Json): void {
  switch (block.type) {
    case "header":
      expect(plainText(block.text).length).toBeLessThanOrEqual(LIMITS.headerText);
      return;
    case "section": {
      if (block.text) expect(plainText(block.text).length).toBeLessThanOrEqual(LIMITS.sectionText);
      const fields = (block.fields ?? []) as Json[];
      expect(fields.length).toBeLessThanOrEqual(LIMITS.fieldsPerSection);
      for (const f of fields) expect(plainText(f).length).toBeLessThanOrEqual(LIMITS.fieldText);
      expect(block.text ? plainText(block.text).trim() : fields.length).toBeTruthy();
      return;
    }
    case "context":
      for (const e of block.elements as Json[]) expect(plainText(e).length).toBeLessThanOrEqual(LIMITS.sectionText);
      return;
    case "actions": {
      const elements = block.elements as Json[];
      expect(elements.length).toBeGreaterThan(0);
      expect(elements.length).toBeLessThanOrEqual(LIMITS.elementsPerActions);
      for (const e of elements) assertElement(e);
      return;
    }
  }
}

function assertElement(element: Json): void {
  if (element.type === "button") {
    expect(plainText(element.text).length).toBeLessThanOrEqual(LIMITS.buttonText);
    if (typeof element.value === "string") expect(element.value.length).toBeLessThanOrEqual(LIMITS.buttonValue);
    return;
  }
  const options = element.options as { text: { text: string }; value: string }[];
  expect(options.length).toBeGreaterThan(0);
  expect(options.length).toBeLessThanOrEqual(LIMITS.optionsPerSelect);
  expect(plainText(element.placeholder).length).toBeLessThanOrEqual(LIMITS.placeholder);
  for (const o of options) {
    expect(o.text.text.length).toBeLessThanOrEqual(LIMITS.optionText);
    expect(o.value.length).toBeLessThanOrEqual(LIMITS.optionValue);
  }
}

describe("rendering any reply as Block Kit", () => {
  it("meets long replies in the generated cases: several messages, split sections, refused buttons", () => {
    const samples = fc.sample(reply, { numRuns: 150, seed: 42 }).map(renderMessages);
    expect(samples.some((messages) => messages.length > 1)).toBe(true);
    const blocks = samples.flat().flatMap((m) => m.blocks);
    expect(blocks.some((b) => b.type === "section" && (b.text?.text.length ?? 0) > 2000)).toBe(true);
    expect(blocks.some((b) => b.type === "context" && JSON.stringify(b).includes("too long for Slack"))).toBe(true);
  });

  it("stays within every Block Kit limit", () => {
    fc.assert(
      fc.property(reply, (r) => {
        const messages = renderMessages(r);
        expect(messages.length).toBeGreaterThan(0);
        for (const message of messages) {
          expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
          expect(message.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
          // Checked as Slack receives it: JSON.
          for (const b of JSON.parse(JSON.stringify(message.blocks)) as Json[]) assertWithinLimits(b);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("loses no text when it splits a long block, only the whitespace at the seams", () => {
    fc.assert(
      fc.property(text, (t) => {
        const sections = renderMessages({
          visibility: "ephemeral",
          locale: "en",
          summary: "s",
          blocks: [{ type: "text", text: t }],
        })
          .flatMap((m) => m.blocks)
          .map((b) => plainText((b as { text: unknown }).text));
        expect(sections.join("").replace(/\s/g, "")).toBe(toMrkdwn(t).replace(/\s/g, ""));
      }),
      { numRuns: 150 },
    );
  });

  it("gives every button and option back its command and language, and every form button its form", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("en", "zh") as fc.Arbitrary<"en" | "zh">,
        fc.array(action, { minLength: 1, maxLength: 10 }),
        (locale, actions) => {
          const [message] = renderMessages({
            visibility: "ephemeral",
            locale,
            summary: "s",
            blocks: [{ type: "actions", actions }],
          });
          const blocks = JSON.parse(JSON.stringify(message?.blocks ?? [])) as Json[];
          const elements = blocks.flatMap((b) => (b.elements as Json[] | undefined) ?? []);
          for (const element of elements) {
            const id = String(element.action_id);
            if (id.startsWith("crm.cmd.")) expect(decodeAction(unpackValue(String(element.value))).locale).toBe(locale);
            if (id.startsWith("crm.form.")) expect(decodeForm(unpackValue(String(element.value)))?.locale).toBe(locale);
            if (id.startsWith("crm.select.")) {
              for (const o of element.options as { value: string }[])
                expect(decodeAction(unpackValue(o.value)).locale).toBe(locale);
            }
          }
          const ids = elements.map((e) => e.action_id);
          expect(new Set(ids).size).toBe(ids.length);
        },
      ),
      { numRuns: 100 },
    );
  });
});
