// A platform-neutral Reply as Feishu interactive cards (card JSON 2.0): markdown, field columns,
// buttons and menus, paged into several cards when one would pass Feishu's limits.
import { type Action, type Block, encodeAction, plain, type Reply } from "../../commands/reply.ts";
import { type Locale, type Translate, translator } from "../../i18n/index.ts";
import type { ActionValue } from "./action-value.ts";
import { jsonBytes, type MarkdownOptions, splitMarkdown, toCardMarkdown } from "./markdown.ts";

export type CardElement = { tag: string; [key: string]: unknown };

export interface Card {
  schema: "2.0";
  config: Record<string, unknown>;
  header?: Record<string, unknown>;
  body: { elements: CardElement[] };
}

/** Feishu refuses a card over 30 KB of JSON or with more than 200 components. */
export const CARD_MAX_BYTES = 30_000;
export const CARD_MAX_COMPONENTS = 200;
// Pages are filled to less than the limits: the header and the "continued" line come on top.
const PAGE_BYTES = 26_000;
const PAGE_COMPONENTS = 150;
/** One markdown element: a long list becomes several, which pages can then split between them. */
export const ELEMENT_BYTES = 6_000;
const MENU_BYTES = 12_000;
const MAX_MENU_OPTIONS = 100;

export interface RenderContext {
  locale: Locale;
  t: Translate;
  markdown: MarkdownOptions;
}

export class CardRenderer {
  constructor(private readonly applinkHost: string) {}

  context(locale: Locale): RenderContext {
    const t = translator(locale);
    return { locale, t, markdown: { groupLabel: t("feishu.groupChat"), applinkHost: this.applinkHost } };
  }

  /** The reply as one card, or as several when it is too long for one. */
  reply(reply: Reply): Card[] {
    const ctx = this.context(reply.locale);
    const [first, ...rest] = reply.blocks;
    const title = first?.type === "header" ? plain(first.text) : undefined;
    const blocks = title === undefined ? reply.blocks : rest;
    const elements = blocks.flatMap((block) => blockElements(block, ctx));
    if (elements.length === 0) elements.push(markdown(toCardMarkdown(reply.summary || "…", ctx.markdown)));
    const pages = paginate(elements);
    return pages.map((page, i) => {
      const continued: CardElement[] =
        i === 0 ? [] : [{ ...markdown(ctx.t("feishu.continued", { page: i + 1, pages: pages.length })), text_size: "notation" }];
      return shell(reply.summary, i === 0 ? title : undefined, [...continued, ...page], reply.error === true);
    });
  }
}

export function shell(summary: string, title: string | undefined, elements: CardElement[], error = false): Card {
  return {
    schema: "2.0",
    // Card 2.0 cards are shared: an update shows to everyone in the chat.
    config: { update_multi: true, summary: { content: clip(plain(summary), 100) } },
    ...(title ? { header: { title: { tag: "plain_text", content: clip(title, 100) }, template: error ? "red" : "blue" } } : {}),
    body: { elements },
  };
}

function blockElements(block: Block, ctx: RenderContext): CardElement[] {
  switch (block.type) {
    case "header":
      return [markdown(`**${toCardMarkdown(clip(block.text, 200), ctx.markdown)}**`)];
    case "text":
      return markdownElements(block.text, ctx);
    case "context":
      return markdownElements(block.text, ctx).map((element) => ({ ...element, text_size: "notation" }));
    case "divider":
      return [{ tag: "hr" }];
    case "fields":
      return fieldRows(block.fields, ctx);
    case "actions":
      return actionElements(block.actions, ctx);
  }
}

function markdownElements(text: string, ctx: RenderContext): CardElement[] {
  const converted = toCardMarkdown(text, ctx.markdown);
  if (!converted.trim()) return [];
  return splitMarkdown(converted, ELEMENT_BYTES).map(markdown);
}

export function markdown(content: string): CardElement {
  return { tag: "markdown", content };
}

/** Two fields side by side, like Slack's section fields. */
function fieldRows(fields: { label: string; value: string }[], ctx: RenderContext): CardElement[] {
  const rows: CardElement[] = [];
  for (let i = 0; i < fields.length; i += 2) {
    const columns = fields.slice(i, i + 2).map((field) => ({
      tag: "column",
      width: "weighted",
      weight: 1,
      vertical_align: "top",
      elements: [
        markdown(
          `**${toCardMarkdown(clip(plain(field.label), 100), ctx.markdown)}**\n${toCardMarkdown(clip(field.value, 1_000), ctx.markdown)}`,
        ),
      ],
    }));
    rows.push({ tag: "column_set", horizontal_spacing: "12px", columns });
  }
  return rows;
}

/** Buttons flow side by side; a menu takes a row of its own, since it needs the width. */
function actionElements(actions: Action[], ctx: RenderContext): CardElement[] {
  const out: CardElement[] = [];
  let row: CardElement[] = [];
  const flush = () => {
    if (row.length === 0) return;
    out.push({
      tag: "column_set",
      flex_mode: "flow",
      horizontal_spacing: "8px",
      columns: row.map((element) => ({ tag: "column", width: "auto", elements: [element] })),
    });
    row = [];
  };
  for (const action of actions) {
    if (action.kind === "select") {
      flush();
      const menu = selectMenu(action, ctx);
      if (menu) out.push(menu);
      continue;
    }
    const button = actionButton(action, ctx);
    if (button) row.push(button);
  }
  flush();
  return out;
}

function actionButton(action: Exclude<Action, { kind: "select" }>, ctx: RenderContext): CardElement | null {
  const text = { tag: "plain_text", content: clip(plain(action.label), 40) };
  if (action.kind === "link") {
    if (!/^https?:\/\//i.test(action.url)) return null;
    return { tag: "button", text, type: "default", behaviors: [{ type: "open_url", default_url: action.url }] };
  }
  const value: ActionValue =
    action.kind === "command" ? { a: encodeAction(ctx.locale, action.command) } : { form: action.form, l: ctx.locale };
  const type = action.style === "primary" ? "primary_filled" : action.style === "danger" ? "danger" : "default";
  return { tag: "button", text, type, behaviors: [{ type: "callback", value }] };
}

function selectMenu(action: Extract<Action, { kind: "select" }>, ctx: RenderContext): CardElement | null {
  const options: { text: { tag: string; content: string }; value: string }[] = [];
  const seen = new Set<string>();
  let bytes = 0;
  for (const option of action.options.slice(0, MAX_MENU_OPTIONS)) {
    const value = encodeAction(ctx.locale, option.command);
    if (seen.has(value)) continue;
    const entry = { text: { tag: "plain_text", content: clip(plain(option.label), 60) || "…" }, value };
    bytes += jsonBytes(entry);
    if (bytes > MENU_BYTES) break;
    seen.add(value);
    options.push(entry);
  }
  if (options.length === 0) return null;
  const behaviors: { type: "callback"; value: ActionValue }[] = [{ type: "callback", value: { select: 1 } }];
  return {
    tag: "select_static",
    placeholder: { tag: "plain_text", content: clip(plain(action.placeholder), 40) || "…" },
    width: "fill",
    options,
    behaviors,
  };
}

/** Fills pages in order without passing the size or component budget. */
function paginate(elements: CardElement[]): CardElement[][] {
  const pages: CardElement[][] = [];
  let page: CardElement[] = [];
  let bytes = 0;
  let components = 0;
  for (const element of elements) {
    const size = jsonBytes(element) + 1;
    const count = countComponents(element);
    if (page.length > 0 && (bytes + size > PAGE_BYTES || components + count > PAGE_COMPONENTS)) {
      pages.push(page);
      page = [];
      bytes = 0;
      components = 0;
    }
    page.push(element);
    bytes += size;
    components += count;
  }
  if (page.length > 0) pages.push(page);
  return pages;
}

/** Components as Feishu counts them: every tagged element, text objects aside. */
export function countComponents(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + countComponents(item), 0);
  if (!value || typeof value !== "object") return 0;
  const record = value as Record<string, unknown>;
  const own = typeof record.tag === "string" && record.tag !== "plain_text" && record.tag !== "lark_md" ? 1 : 0;
  return own + Object.values(record).reduce((sum: number, item) => sum + countComponents(item), 0);
}

export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}
