// What a card's buttons and menus carry back in their callback value, checked when it returns.
import { z } from "zod";
import type { Form } from "../../commands/reply.ts";

const locale = z.enum(["en", "zh"]);
const fieldKind = z.enum(["text", "multiline", "select", "member", "date"]);

const formSchema = z.object({
  verb: z.string(),
  title: z.string(),
  submitLabel: z.string(),
  hidden: z.record(z.string(), z.string()).optional(),
  fields: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      kind: fieldKind,
      optional: z.boolean().optional(),
      placeholder: z.string().optional(),
      initial: z.string().optional(),
      options: z.array(z.object({ label: z.string(), value: z.string() })).optional(),
    }),
  ),
}) satisfies z.ZodType<Form>;

export const actionValueSchema = z.union([
  /** A command button: encodeAction(locale, command). */
  z.object({ a: z.string() }),
  /** A menu: the chosen option's value is itself encodeAction(locale, command). */
  z.object({ select: z.literal(1) }),
  /** A button that opens a form (Slack opens a modal; Feishu sends a card holding the form). */
  z.object({ form: formSchema, l: locale }),
  /** A form's submit button: the form itself, to read its fields and to show it again on a mistake. */
  z.object({ submit: z.object({ form: formSchema, l: locale }) }),
]);

export type ActionValue = z.infer<typeof actionValueSchema>;

export function readActionValue(value: unknown): ActionValue | null {
  const parsed = actionValueSchema.safeParse(typeof value === "string" ? safeJson(value) : value);
  return parsed.success ? parsed.data : null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
