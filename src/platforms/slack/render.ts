// Renders a platform-neutral Reply as Block Kit, inside Slack's limits: long text is split at
// line breaks into more sections, crowded fields and buttons into more blocks, and more than 50
// blocks into more messages, so nothing is cut off mid-block and Slack never refuses a message.
import type { types } from "@slack/bolt";
import { type Action, type Block, encodeAction, type Reply } from "../../commands/reply.ts";
import { type Locale, translate } from "../../i18n/index.ts";
import { encodeForm } from "./modal.ts";
import { clipPlain, escapeText, splitText, toMrkdwn, toPlain } from "./mrkdwn.ts";
import { packValue } from "./values.ts";

/** Block Kit's limits, from Slack's reference pages. */
export const LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  elementsPerActions: 25,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  optionValue: 150,
  optionsPerSelect: 100,
  placeholder: 150,
  headerText: 150,
  url: 3000,
  fallbackText: 3000,
} as const;

export interface SlackMessage {
  /** The notification and the fallback where blocks cannot show. */
  text: string;
  blocks: types.KnownBlock[];
}

export const ACTION_PREFIX = "crm.";

export function renderMessages(reply: Reply): SlackMessage[] {
  const blocks = renderBlocks(reply.blocks, reply.locale);
  const text = escapeText(clipPlain(toPlain(reply.summary), LIMITS.fallbackText / 2));
  if (blocks.length === 0) return [{ text, blocks }];
  const messages: SlackMessage[] = [];
  for (let i = 0; i < blocks.length; i += LIMITS.blocksPerMessage) {
    messages.push({ text, blocks: blocks.slice(i, i + LIMITS.blocksPerMessage) });
  }
  return messages;
}

/** Renders blocks for any surface (messages, the App Home tab); action ids are unique across them. */
export function renderBlocks(blocks: Block[], locale: Locale): types.KnownBlock[] {
  let next = 0;
  const actionId = (kind: string) => `${ACTION_PREFIX}${kind}.${next++}`;
  return blocks.flatMap((block) => renderBlock(block, locale, actionId));
}

function renderBlock(block: Block, locale: Locale, actionId: (kind: string) => string): types.KnownBlock[] {
  switch (block.type) {
    case "header": {
      const text = clipPlain(toPlain(block.text).trim(), LIMITS.headerText);
      return text ? [{ type: "header", text: { type: "plain_text", text, emoji: true } }] : [];
    }
    case "text":
      return sections(toMrkdwn(block.text));
    case "context":
      return pieces(toMrkdwn(block.text), LIMITS.sectionText).map((text) => ({
        type: "context",
        elements: [{ type: "mrkdwn", text }],
      }));
    case "divider":
      return [{ type: "divider" }];
    case "fields":
      return fieldSections(block.fields);
    case "actions":
      return actionBlocks(block.actions, locale, actionId);
  }
}

function pieces(text: string, max: number): string[] {
  return splitText(text, max).filter((piece) => piece.trim() !== "");
}

function sections(mrkdwn: string): types.SectionBlock[] {
  return pieces(mrkdwn, LIMITS.sectionText).map((text) => ({ type: "section", text: { type: "mrkdwn", text } }));
}

function fieldSections(fields: { label: string; value: string }[]): types.KnownBlock[] {
  const out: types.KnownBlock[] = [];
  let group: types.MrkdwnElement[] = [];
  const flush = () => {
    if (group.length > 0) out.push({ type: "section", fields: group });
    group = [];
  };
  for (const field of fields) {
    const text = `*${toMrkdwn(field.label)}*\n${toMrkdwn(field.value)}`;
    // A field too long for a field cell gets a section of its own rather than being cut.
    if (text.length > LIMITS.fieldText) {
      flush();
      out.push(...sections(text));
      continue;
    }
    group.push({ type: "mrkdwn", text });
    if (group.length === LIMITS.fieldsPerSection) flush();
  }
  flush();
  return out;
}

function actionBlocks(actions: Action[], locale: Locale, actionId: (kind: string) => string): types.KnownBlock[] {
  let refused = 0;
  const elements: types.ActionsBlockElement[] = [];
  for (const action of actions) {
    const rendered = renderAction(action, locale, actionId);
    if (rendered.length === 0) refused++;
    elements.push(...rendered);
  }
  const out: types.KnownBlock[] = [];
  for (let i = 0; i < elements.length; i += LIMITS.elementsPerActions) {
    out.push({ type: "actions", elements: elements.slice(i, i + LIMITS.elementsPerActions) });
  }
  // A button whose command cannot fit Slack's value limit is left out, and the reader told why.
  if (refused > 0)
    out.push({ type: "context", elements: [{ type: "mrkdwn", text: escapeText(translate(locale, "slack.actionTooLong")) }] });
  return out;
}

const label = (text: string, max: number): types.PlainTextElement => ({
  type: "plain_text",
  text: clipPlain(toPlain(text).trim(), max) || "…",
  emoji: true,
});

function renderAction(action: Action, locale: Locale, actionId: (kind: string) => string): types.ActionsBlockElement[] {
  switch (action.kind) {
    case "command":
      return valueButton(actionId("cmd"), action.label, encodeAction(locale, action.command), action.style);
    case "form":
      return valueButton(actionId("form"), action.label, encodeForm(locale, action.form), action.style);
    case "select":
      return selects(action, locale, actionId);
    case "link":
      if (action.url.length > LIMITS.url || !/^https?:\/\//i.test(action.url)) return [];
      return [{ type: "button", action_id: actionId("link"), text: label(action.label, LIMITS.buttonText), url: action.url }];
  }
}

/** A button that carries `value` back when clicked; none when the value cannot fit. */
function valueButton(actionId: string, text: string, value: string, style?: "primary" | "danger"): types.Button[] {
  const packed = packValue(value, LIMITS.buttonValue);
  if (packed === undefined) return [];
  return [
    { type: "button", action_id: actionId, text: label(text, LIMITS.buttonText), value: packed, ...(style ? { style } : {}) },
  ];
}

function selects(
  action: Extract<Action, { kind: "select" }>,
  locale: Locale,
  actionId: (kind: string) => string,
): types.StaticSelect[] {
  const options = action.options.flatMap((option) => {
    const value = packValue(encodeAction(locale, option.command), LIMITS.optionValue);
    return value === undefined ? [] : [{ text: label(option.label, LIMITS.optionText), value }];
  });
  const out: types.StaticSelect[] = [];
  for (let i = 0; i < options.length; i += LIMITS.optionsPerSelect) {
    out.push({
      type: "static_select",
      action_id: actionId("select"),
      placeholder: label(action.placeholder, LIMITS.placeholder),
      options: options.slice(i, i + LIMITS.optionsPerSelect),
    });
  }
  return out;
}
