// The morning DM: a rep's due and overdue revisits, most overdue first, each one click from its card.
import type { Action, Block, Reply } from "../../commands/reply.ts";
import { clip, label, logForm, ref, snoozeAction, word } from "../../commands/views.ts";
import type { DueItem, RevisitPayload } from "../../domain/nudges/plan.ts";
import { daysBetween } from "../../domain/time.ts";
import type { MessageContext } from "./context.ts";

export function dueLine(ctx: MessageContext, c: DueItem): string {
  const overdue = daysBetween(c.dueDay, ctx.day);
  const due = overdue > 0 ? ctx.t("due.overdue", { days: overdue }) : ctx.t("due.today");
  const last =
    c.lastDay && c.lastKind
      ? ctx.t("nudge.last", { day: c.lastDay, kind: word(ctx, "kind", c.lastKind), summary: clip(c.lastSummary ?? "", 100) })
      : ctx.t("nudge.neverContacted");
  return `**${c.name}** · ${label(ctx.t, "tier", c.tier)} · ${due}\n${last}`;
}

function customerButtons(ctx: MessageContext, c: DueItem): Action[] {
  const { t } = ctx;
  return [
    { kind: "command", label: t("action.show"), command: `show ${ref(c)}` },
    { kind: "form", label: t("nudge.loggedIt"), style: "primary", form: logForm(ctx, c) },
    snoozeAction(ctx, c),
    {
      kind: "form",
      label: t("nudge.reassign"),
      form: {
        verb: "edit",
        title: clip(t("nudge.reassignTitle", { name: c.name }), 24),
        submitLabel: t("form.save"),
        hidden: { _: ref(c) },
        fields: [{ name: "owner", label: t("field.owner"), kind: "member" }],
      },
    },
  ];
}

export function renderRevisit(ctx: MessageContext, payload: RevisitPayload): Reply {
  const { t } = ctx;
  const title = t("nudge.revisitTitle", { count: payload.total });
  const blocks: Block[] = [{ type: "header", text: title }];
  for (const c of payload.customers) {
    blocks.push({ type: "text", text: dueLine(ctx, c) });
    blocks.push({ type: "actions", actions: customerButtons(ctx, c) });
  }
  const more = payload.total - payload.customers.length;
  if (more > 0) {
    blocks.push({ type: "context", text: t("nudge.more", { count: more }) });
    blocks.push({ type: "actions", actions: [{ kind: "command", label: t("nudge.showAll"), command: "list mine overdue" }] });
  }
  return { visibility: "ephemeral", locale: ctx.locale, summary: title, blocks };
}
