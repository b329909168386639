// log / 记录: records an interaction and restarts the revisit clock. A name matched only by
// prefix or initials is shown back for confirmation before anything is saved.
import { z } from "zod";
import { findLeadingCustomer } from "../../domain/customers.ts";
import { UserError } from "../../domain/errors.ts";
import { logInteraction } from "../../domain/interactions.ts";
import { zonedInstant } from "../../domain/time.ts";
import { kindOf } from "../log-kind.ts";
import type { Reply } from "../reply.ts";
import { defineVerb } from "../types.ts";
import { dayValue, kindValue } from "../values.ts";
import { clip, dueText, ref, word } from "../views.ts";

const schema = z.object({
  words: z.array(z.string()).min(1, { error: () => "log.customerMissing" }),
  summary: z.string(),
  kind: kindValue.optional(),
  date: dayValue.optional(),
  ref: z.string().max(200).optional(),
  confirm: z.string().optional(),
  link: z.url().optional(),
});

/** Typed (not a confirmation, which carries the first delivery's ref): the interaction is keyed by this delivery. */
const typed = (input: { ref?: string | undefined }) => input.ref === undefined;

export const log = defineVerb({
  name: "log",
  names: { en: ["log", "record", "note"], zh: ["记录", "日志", "拜访记录", "跟进"] },
  options: {
    kind: ["type", "类型", "方式"],
    date: ["on", "when", "日期", "时间"],
    ref: [],
    confirm: [],
    link: ["permalink", "链接"],
    customer: ["客户"],
  },
  freeText: true,
  // A typed log's interaction is keyed by its delivery (the source ref), so a repeat logs nothing.
  // A confirmation carries the first delivery's ref: its own delivery (a click) is claimed as usual,
  // so that a double click says nothing twice.
  keysWritesByDelivery: typed,
  // A form names the customer in its own field, so all the words are the summary.
  parse: ({ options: { customer, ...options }, words, rest }) =>
    customer
      ? { ...options, words: [customer], summary: "", rest: (i: number) => (i === 1 ? rest(0) : "") }
      : { ...options, words: words.map((w) => w.value), summary: "", rest },
  schema: schema.extend({ rest: z.custom<(i: number) => string>() }),
  run: async (ctx, input): Promise<Reply | null> => {
    const { customer, match, used } = await findLeadingCustomer(ctx.deps, ctx, input.words);
    const summary = input.rest(used);
    if (!summary) throw new UserError("log.summaryMissing", { name: customer.name }, "log");
    const kind = input.kind ?? kindOf(summary) ?? "note";
    const occurredAt = input.date ? zonedInstant(input.date, ctx.workspace.timeZone, 12) : undefined;
    const sourceRef = input.ref ?? ctx.deliveryId;

    if ((match === "prefix" || match === "initials") && !input.confirm) {
      const dateOption = input.date ? ` date=${input.date}` : "";
      // The link (a Slack message's permalink) must survive the confirmation too.
      const linkOption = input.link ? ` link=${input.link}` : "";
      const command = `log ${ref(customer)} kind=${kind}${dateOption}${linkOption} ref=${sourceRef} confirm=yes ${summary}`;
      const text = ctx.t("log.preview", { name: customer.name, kind: word(ctx, "kind", kind), summary: clip(summary, 300) });
      return {
        visibility: "ephemeral",
        locale: ctx.locale,
        summary: ctx.t("log.previewTitle", { name: customer.name }),
        blocks: [
          { type: "text", text },
          {
            type: "actions",
            actions: [
              { kind: "command", label: ctx.t("action.confirm"), command, style: "primary" },
              { kind: "command", label: ctx.t("action.cancel"), command: "cancel" },
            ],
          },
        ],
      };
    }

    const logged = await logInteraction(ctx.deps, ctx, customer, {
      kind,
      summary,
      occurredAt,
      source: ctx.source,
      sourceRef,
      permalink: input.link,
    });
    if (logged.duplicate) {
      // Keyed by this very delivery: the platform sent it again, and it was answered the first time.
      if (typed(input)) return null;
      return {
        visibility: "ephemeral",
        locale: ctx.locale,
        summary: ctx.t("log.duplicate"),
        blocks: [{ type: "text", text: ctx.t("log.duplicate") }],
      };
    }
    const text = ctx.t("log.done", {
      name: customer.name,
      kind: word(ctx, "kind", kind),
      next: dueText(ctx, logged.customer.nextRevisitAt),
    });
    return {
      visibility: "channel",
      locale: ctx.locale,
      summary: text.replace(/\*\*/g, ""),
      blocks: [
        { type: "text", text: `📝 ${text}` },
        { type: "context", text: clip(summary, 500) },
        { type: "actions", actions: [{ kind: "command", label: ctx.t("action.show"), command: `show ${ref(customer)}` }] },
      ],
    };
  },
});
