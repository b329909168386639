// Reads the cards the bot sent as a person would: their text, their buttons, menus and forms.
import type { Card } from "./feishu-api.ts";

type Node = Record<string, unknown>;

function walk(value: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit);
    return;
  }
  if (!value || typeof value !== "object") return;
  visit(value as Node);
  for (const child of Object.values(value as Node)) walk(child, visit);
}

/** Header, markdown and labels, in order, as a person reads them: no markup, mentions as @open_id. */
export function cardText(card: Card | undefined): string {
  return cardMarkup(card)
    .replace(/\*\*/g, "")
    .replace(/<at id=([^>]+)><\/at>/g, "@$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/&#60;/g, "<")
    .replace(/&#62;/g, ">");
}

/** Header, markdown and labels, in order, as Feishu receives them. */
export function cardMarkup(card: Card | undefined): string {
  if (!card) return "";
  const parts: string[] = [];
  if (card.header?.title?.content) parts.push(card.header.title.content);
  walk(card.body, (node) => {
    if (node.tag === "markdown" && typeof node.content === "string") parts.push(node.content);
    if (node.tag === "plain_text" && typeof node.content === "string") parts.push(node.content);
  });
  return parts.join("\n");
}

const label = (node: Node) => ((node.text as Node | undefined)?.content as string | undefined) ?? "";
const callbackOf = (node: Node) =>
  ((node.behaviors as Node[] | undefined) ?? []).find((b) => b.type === "callback")?.value as unknown;

/** The callback value of the button labelled `text`. */
export function buttonValue(card: Card | undefined, text: string): unknown {
  let found: unknown;
  walk(card?.body, (node) => {
    if (node.tag === "button" && label(node) === text && found === undefined) found = callbackOf(node);
  });
  if (found === undefined) throw new Error(`no button "${text}" in ${JSON.stringify(card)}`);
  return found;
}

/** The menu whose placeholder is `placeholder`: its callback value and the value of option `text`. */
export function menuChoice(card: Card | undefined, placeholder: string, text: string): { value: unknown; option: string } {
  let found: { value: unknown; option: string } | undefined;
  walk(card?.body, (node) => {
    if (node.tag !== "select_static" || (node.placeholder as Node | undefined)?.content !== placeholder) return;
    const option = (node.options as Node[]).find((o) => label(o) === text);
    if (option) found = { value: callbackOf(node), option: String(option.value) };
  });
  if (!found) throw new Error(`no option "${text}" in menu "${placeholder}"`);
  return found;
}

export interface FormFieldNode {
  name: string;
  tag: string;
  /** What the field holds before anyone types: Feishu submits it as typed. */
  initial?: string;
}

/** The form container's fields (name -> tag) and its submit button's callback value. */
export function formOf(card: Card | undefined): { fields: FormFieldNode[]; submit: unknown } {
  let form: Node | undefined;
  walk(card?.body, (node) => {
    if (node.tag === "form") form = node;
  });
  if (!form) throw new Error(`no form in ${JSON.stringify(card)}`);
  const fields: FormFieldNode[] = [];
  let submit: unknown;
  walk(form.elements, (node) => {
    if (node.tag === "button" && node.form_action_type === "submit") submit = callbackOf(node);
    else if (typeof node.name === "string" && typeof node.tag === "string") {
      const initial = node.initial_option ?? node.default_value ?? node.initial_date;
      fields.push({ name: node.name, tag: node.tag, ...(typeof initial === "string" ? { initial } : {}) });
    }
  });
  return { fields, submit };
}
