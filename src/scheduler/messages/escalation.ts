// The manager's DM: reports whose revisits slipped past the grace period, grouped by rep.
import type { Block, Reply } from "../../commands/reply.ts";
import { mention, ref } from "../../commands/views.ts";
import type { EscalationPayload } from "../../domain/nudges/plan.ts";
import type { MessageContext } from "./context.ts";
import { dueLine } from "./revisit.ts";

export function renderEscalation(ctx: MessageContext, payload: EscalationPayload): Reply {
  const { t } = ctx;
  const total = payload.reps.reduce((sum, r) => sum + r.total, 0);
  const title = t("nudge.escalationTitle", { count: total, reps: payload.reps.length });
  const blocks: Block[] = [{ type: "header", text: title }];
  for (const rep of payload.reps.slice(0, 12)) {
    const who = mention({ externalId: rep.repExternalId, displayName: rep.repName }, t);
    const lines = rep.customers.map((c) => `• ${dueLine(ctx, c).replace("\n", " · ")}`);
    const more = rep.total - rep.customers.length;
    if (more > 0) lines.push(t("nudge.more", { count: more }));
    blocks.push({ type: "text", text: `${t("nudge.repSlipping", { rep: who, count: rep.total })}\n${lines.join("\n")}` });
    blocks.push({
      type: "actions",
      actions: [
        {
          kind: "select",
          placeholder: t("action.show"),
          options: rep.customers.map((c) => ({ label: c.name, command: `show ${ref(c)}` })),
        },
      ],
    });
  }
  if (payload.reps.length > 12) blocks.push({ type: "context", text: t("nudge.moreReps", { count: payload.reps.length - 12 }) });
  blocks.push({ type: "context", text: t("nudge.escalationHint") });
  return { visibility: "ephemeral", locale: ctx.locale, summary: title, blocks };
}
