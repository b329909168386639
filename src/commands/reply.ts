// The platform-neutral reply: blocks of text, fields and actions that Slack renders as Block
// Kit, Feishu as a card, and the terminal as plain text.

export type Visibility = "ephemeral" | "channel";

/**
 * Text uses a small markdown: **bold**, _italic_, `code`, [label](url) and <@memberExternalId>.
 * Each renderer translates it into its platform's dialect.
 */
export type Block =
  | { type: "header"; text: string }
  | { type: "text"; text: string }
  | { type: "fields"; fields: { label: string; value: string }[] }
  | { type: "context"; text: string }
  | { type: "divider" }
  | { type: "actions"; actions: Action[] };

/** A button or menu. A command action runs its text as the member who clicked it. */
export type Action =
  | { kind: "command"; label: string; command: string; style?: "primary" | "danger" }
  | { kind: "form"; label: string; form: Form; style?: "primary" }
  | { kind: "select"; placeholder: string; options: { label: string; command: string }[] }
  | { kind: "link"; label: string; url: string };

/** A form (a Slack modal, a Feishu card form): its submission runs `verb` with the field values. */
export interface Form {
  verb: string;
  title: string;
  submitLabel: string;
  /** Values carried through the form unchanged, e.g. the customer a log form is for. */
  hidden?: Record<string, string>;
  fields: FormField[];
}

export interface FormField {
  /** The verb's option key, or "_" for the verb's positional text. */
  name: string;
  label: string;
  kind: "text" | "multiline" | "select" | "member" | "date";
  optional?: boolean;
  placeholder?: string;
  initial?: string;
  options?: { label: string; value: string }[];
}

export interface Reply {
  visibility: Visibility;
  locale: "en" | "zh";
  blocks: Block[];
  /** A one-line summary: notification text and the fallback where blocks cannot show. */
  summary: string;
  /** True when the reply reports a user's mistake (nothing was done). */
  error?: boolean;
  /** Set when this reply should open a form at once (a modal) rather than be posted. */
  openForm?: Form;
}

export function textReply(locale: "en" | "zh", text: string, visibility: Visibility = "ephemeral"): Reply {
  return { visibility, locale, blocks: [{ type: "text", text }], summary: firstLine(text) };
}

export function firstLine(text: string): string {
  const line = text.split("\n", 1)[0] ?? "";
  return line.replace(/\*\*/g, "").slice(0, 150);
}

/**
 * A button's value on the platforms: the reply's language and the command, so that the reply to
 * a click comes back in the language of the message that was clicked.
 */
export function encodeAction(locale: "en" | "zh", command: string): string {
  return `${locale}|${command}`;
}

export function decodeAction(value: string): { locale: "en" | "zh" | undefined; command: string } {
  const match = /^(en|zh)\|([\s\S]*)$/.exec(value);
  if (!match) return { locale: undefined, command: value };
  return { locale: match[1] as "en" | "zh", command: match[2] as string };
}

/** Reply text with its markup taken out: what a platform without formatting shows. */
export function plain(text: string): string {
  return text
    .replace(/\*\*(.+?)\*\*/gs, "$1")
    .replace(/<@[^|>]+\|([^>]*)>/g, "@$1")
    .replace(/<@([^>]+)>/g, "@$1")
    .replace(/<#([^|>]+)(?:\|([^>]*))?>/g, (_, id: string, name?: string) => `#${name || id}`)
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, "$1 ($2)");
}
