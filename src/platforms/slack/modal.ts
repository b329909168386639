// Forms as Slack modals: a Form becomes input blocks, the submitted state becomes the verb's
// values, and what the submission needs later (verb, language, channel, where to answer) rides
// in private_metadata.
import type { types, ViewOutput } from "@slack/bolt";
import { z } from "zod";
import type { Form, FormField } from "../../commands/reply.ts";
import type { Locale } from "../../i18n/index.ts";
import { clipPlain, toPlain } from "./mrkdwn.ts";

export const FORM_CALLBACK = "crm.form";

/** What a form's submission needs besides the values typed into it. */
export interface FormMeta {
  verb: string;
  locale: Locale;
  channel?: string | undefined;
  hidden?: Record<string, string> | undefined;
  /** Where the command or click that opened the form can be answered (lives 30 minutes). */
  responseUrl?: string | undefined;
  /** Opened from the App Home tab, which is refreshed after the submission. */
  home?: boolean | undefined;
  /** The message a "Log to customer" shortcut was used on; its permalink is logged with it. */
  message?: { channel: string; ts: string } | undefined;
}

const metaSchema: z.ZodType<FormMeta> = z.object({
  verb: z.string(),
  locale: z.enum(["en", "zh"]),
  channel: z.string().optional(),
  hidden: z.record(z.string(), z.string()).optional(),
  responseUrl: z.string().optional(),
  home: z.boolean().optional(),
  message: z.object({ channel: z.string(), ts: z.string() }).optional(),
});

const fieldSchema: z.ZodType<FormField> = z.object({
  name: z.string(),
  label: z.string(),
  kind: z.enum(["text", "multiline", "select", "member", "date"]),
  optional: z.boolean().optional(),
  placeholder: z.string().optional(),
  initial: z.string().optional(),
  options: z.array(z.object({ label: z.string(), value: z.string() })).optional(),
});

const formSchema: z.ZodType<Form> = z.object({
  verb: z.string(),
  title: z.string(),
  submitLabel: z.string(),
  hidden: z.record(z.string(), z.string()).optional(),
  fields: z.array(fieldSchema),
});

const buttonFormSchema = z.object({ l: z.enum(["en", "zh"]), f: formSchema });

/** A form button's value: the form itself and the language of the message it is on. */
export function encodeForm(locale: Locale, form: Form): string {
  return JSON.stringify({ l: locale, f: form });
}

export function decodeForm(value: string): { locale: Locale; form: Form } | undefined {
  try {
    const parsed = buttonFormSchema.safeParse(JSON.parse(value));
    return parsed.success ? { locale: parsed.data.l, form: parsed.data.f } : undefined;
  } catch {
    return undefined;
  }
}

export function readMeta(privateMetadata: string): FormMeta | undefined {
  try {
    const parsed = metaSchema.safeParse(JSON.parse(privateMetadata));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const plain = (text: string, max: number): types.PlainTextElement => ({
  type: "plain_text",
  text: clipPlain(toPlain(text), max) || "—",
  emoji: true,
});

export function formModal(form: Form, meta: FormMeta): types.ModalView {
  let metadata = JSON.stringify(meta);
  // private_metadata holds 3,000 characters; the response_url is the one part we can do without.
  if (metadata.length > 3000) metadata = JSON.stringify({ ...meta, responseUrl: undefined });
  return {
    type: "modal",
    callback_id: FORM_CALLBACK,
    title: plain(form.title, 24),
    submit: plain(form.submitLabel, 24),
    private_metadata: metadata,
    blocks: form.fields.slice(0, 100).map(inputBlock),
  };
}

function inputBlock(field: FormField): types.InputBlock {
  return {
    type: "input",
    block_id: `f:${field.name}`.slice(0, 255),
    optional: field.optional ?? false,
    label: plain(field.label, 2000),
    element: inputElement(field),
  };
}

function inputElement(field: FormField): types.InputBlockElement {
  const placeholder = field.placeholder ? { placeholder: plain(field.placeholder, 150) } : {};
  const initial = field.initial ?? "";
  switch (field.kind) {
    case "text":
    case "multiline":
      return {
        type: "plain_text_input",
        action_id: "v",
        multiline: field.kind === "multiline",
        max_length: 3000,
        ...(initial ? { initial_value: initial.slice(0, 3000) } : {}),
        ...placeholder,
      };
    case "select": {
      const options = (field.options ?? [])
        .slice(0, 100)
        .map((o) => ({ text: plain(o.label, 75), value: o.value.slice(0, 150) }));
      const chosen = options.find((o) => o.value === initial);
      return { type: "static_select", action_id: "v", options, ...(chosen ? { initial_option: chosen } : {}), ...placeholder };
    }
    case "member": {
      const user = /^<?@?([A-Z0-9]+)(?:\|[^>]*)?>?$/.exec(initial)?.[1];
      return { type: "users_select", action_id: "v", ...(user ? { initial_user: user } : {}), ...placeholder };
    }
    case "date":
      return {
        type: "datepicker",
        action_id: "v",
        ...(/^\d{4}-\d{2}-\d{2}$/.test(initial) ? { initial_date: initial } : {}),
        ...placeholder,
      };
  }
}

/** The values typed into a submitted form, by field name; a picked member reads as a mention. */
export function formValues(values: ViewOutput["state"]["values"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(values)) {
    const state = actions.v;
    if (!blockId.startsWith("f:") || !state) continue;
    const value =
      state.value ?? state.selected_option?.value ?? (state.selected_user ? `<@${state.selected_user}>` : state.selected_date);
    if (value?.trim()) out[blockId.slice(2)] = value.trim();
  }
  return out;
}

/**
 * Where to show a refused submission in the modal: the field the message names (`tier=...`),
 * else the first required text field, which is where a missing or unknown name was typed.
 */
export function fieldErrors(view: Pick<ViewOutput, "blocks">, message: string): Record<string, string> | undefined {
  const inputs = view.blocks.flatMap((block) => {
    if (block.type !== "input" || !("element" in block) || !block.block_id?.startsWith("f:")) return [];
    return [
      { blockId: block.block_id, name: block.block_id.slice(2), type: block.element.type, optional: block.optional ?? false },
    ];
  });
  const named = inputs.find((input) => message.includes(`\`${input.name}=`));
  const target = named ?? inputs.find((input) => !input.optional && input.type === "plain_text_input");
  if (!target) return undefined;
  return { [target.blockId]: clipPlain(toPlain(message.replace(/^⚠️\s*/, "")), 500) };
}
