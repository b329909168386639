// What a scheduled message is rendered with: the recipient's language and the workspace.
import type { Member, Workspace } from "../../generated/prisma/client.ts";
import { type Locale, type Translate, toLocale, translator } from "../../i18n/index.ts";

export interface MessageContext {
  workspace: Workspace;
  recipient: Member;
  /** The local day the message belongs to; "overdue" is counted to it. */
  day: string;
  locale: Locale;
  t: Translate;
  invocation: string;
}

export function messageContext(workspace: Workspace, recipient: Member, day: string): MessageContext {
  const locale = toLocale(recipient.locale, toLocale(workspace.locale, "zh"));
  return { workspace, recipient, day, locale, t: translator(locale), invocation: "/customer" };
}
