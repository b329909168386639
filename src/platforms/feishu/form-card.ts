// A Form as a card holding a form container (card JSON 2.0), and a submitted form back as values.
import type { Form, FormField } from "../../commands/reply.ts";
import { plain } from "../../commands/reply.ts";
import type { Locale } from "../../i18n/index.ts";
import type { ActionValue } from "./action-value.ts";
import { type Card, type CardElement, type CardRenderer, clip, markdown, shell } from "./card.ts";
import { toCardMarkdown } from "./markdown.ts";

export interface FormState {
  /** A mistake in the last submission, shown above the fields. */
  error?: string | undefined;
  /** What was submitted last time, so that fixing one field does not mean typing all again. */
  values?: Record<string, string> | undefined;
}

// Component names must be unique in the card; the verb's option names ("_") are not names Feishu takes.
const fieldName = (index: number) => `field_${index}`;

export function formCard(renderer: CardRenderer, form: Form, locale: Locale, state: FormState = {}): Card {
  const ctx = renderer.context(locale);
  const elements: CardElement[] = [];
  if (state.error) elements.push(markdown(toCardMarkdown(state.error, ctx.markdown)));
  const fields = form.fields.flatMap((field, i) => {
    const label = `**${toCardMarkdown(clip(plain(field.label), 60), ctx.markdown)}**${field.optional ? ` ${ctx.t("feishu.optional")}` : ""}`;
    return [markdown(label), input(field, fieldName(i), state.values?.[field.name] ?? field.initial)];
  });
  const value: ActionValue = { submit: { form, l: locale } };
  elements.push({
    tag: "form",
    name: "crm_form",
    elements: [
      ...fields,
      {
        tag: "button",
        name: "submit",
        text: { tag: "plain_text", content: clip(form.submitLabel, 40) },
        type: "primary_filled",
        form_action_type: "submit",
        behaviors: [{ type: "callback", value }],
      },
    ],
  });
  return shell(form.title, form.title, elements, Boolean(state.error));
}

function input(field: FormField, name: string, initial: string | undefined): CardElement {
  const common = {
    name,
    required: !field.optional,
    width: "fill",
    placeholder: { tag: "plain_text", content: clip(field.placeholder ?? plain(field.label), 40) },
  };
  switch (field.kind) {
    case "text":
      return { tag: "input", ...common, max_length: 1_000, ...(initial ? { default_value: initial } : {}) };
    case "multiline":
      return {
        tag: "input",
        ...common,
        input_type: "multiline_text",
        rows: 3,
        max_length: 4_000,
        ...(initial ? { default_value: initial } : {}),
      };
    case "select": {
      const options = (field.options ?? []).map((o) => ({
        text: { tag: "plain_text", content: clip(o.label, 60) },
        value: o.value,
      }));
      const chosen = options.some((o) => o.value === initial) ? { initial_option: initial } : {};
      return { tag: "select_static", ...common, options, ...chosen };
    }
    case "member": {
      const openId = initial ? /^<@(ou_[A-Za-z0-9_-]+)(?:\|[^>]*)?>$/.exec(initial)?.[1] : undefined;
      return { tag: "select_person", ...common, ...(openId ? { initial_option: openId } : {}) };
    }
    case "date":
      return {
        tag: "date_picker",
        ...common,
        ...(initial && /^\d{4}-\d{2}-\d{2}$/.test(initial) ? { initial_date: initial } : {}),
      };
  }
}

/**
 * The values runForm expects: the carried-through ones, then each field by its option name. A
 * person picker gives an open_id (a mention to the command layer); a date picker "2026-11-25 +0800".
 */
export function submittedValues(form: Form, formValue: Record<string, unknown> | undefined): Record<string, string> {
  const values: Record<string, string> = { ...form.hidden };
  form.fields.forEach(({ name, kind }, i) => {
    const raw = formValue?.[fieldName(i)];
    const text = Array.isArray(raw) ? raw.map(String).join(",") : raw === undefined || raw === null ? "" : String(raw);
    if (!text.trim()) return;
    if (kind === "member") values[name] = /^ou_/.test(text) ? `<@${text}>` : text;
    else if (kind === "date") values[name] = text.slice(0, 10);
    else values[name] = text;
  });
  return values;
}
