// feedback / 反馈: records a customer's complaint or suggestion for its owner to follow up,
// resolves one with what was done, or lists the open ones.
import { z } from "zod";
import { findLeadingCustomer } from "../../domain/customers.ts";
import {
  type FeedbackItem,
  findFeedbackById,
  listOpenFeedback,
  looksLikeFeedbackId,
  openFeedbackOf,
  recordFeedback,
  resolveFeedback,
  shortId,
} from "../../domain/feedback.ts";
import { normalizeName } from "../../domain/names.ts";
import { daysBetween, localDay } from "../../domain/time.ts";
import { resolveForm } from "../../scheduler/messages/feedback.ts";
import type { Block, Reply } from "../reply.ts";
import { type CommandContext, defineVerb } from "../types.ts";
import { clip, mention, ref } from "../views.ts";

const actionWords = {
  resolve: ["resolve", "resolved", "close", "done", "解决", "处理", "已解决", "关闭"],
  list: ["list", "ls", "open", "列表", "查看", "待处理"],
} as const;
const actionOf = new Map<string, "resolve" | "list">();
for (const [action, words] of Object.entries(actionWords) as ["resolve" | "list", readonly string[]][]) {
  for (const w of words) actionOf.set(normalizeName(w), action);
}

const schema = z.object({
  action: z.enum(["add", "resolve", "list"]),
  words: z.array(z.string()),
  rest: z.custom<(i: number) => string>(),
  item: z.string().optional(),
});

export const feedback = defineVerb({
  name: "feedback",
  names: { en: ["feedback", "complaint", "suggestion"], zh: ["反馈", "投诉", "建议"] },
  options: { item: ["id", "编号"] },
  freeText: true,
  parse: (args) => {
    const words = args.words.map((w) => w.value);
    // A resolve form sends the item as an option and what was done as the text.
    if (args.options.item) return { action: "resolve", item: args.options.item, words, rest: args.rest };
    const action = actionOf.get(normalizeName(words[0] ?? ""));
    if (!action) return { action: "add", words, rest: args.rest };
    return { action, words: words.slice(1), rest: (i: number) => args.rest(i + 1) };
  },
  schema,
  run: async (ctx, input) => {
    if (input.action === "list") return listReply(ctx);
    if (input.action === "resolve") return resolve(ctx, input);
    const { customer, used } = await findLeadingCustomer(ctx.deps, ctx, input.words);
    const item = await recordFeedback(ctx.deps, ctx, customer, input.rest(used));
    const text = ctx.t("feedback.recorded", { id: shortId(item), name: customer.name, owner: mention(item.owner, ctx.t) });
    return itemReply(ctx, `📝 ${text}`, item, true);
  },
});

async function resolve(ctx: CommandContext, input: z.infer<typeof schema>): Promise<Reply> {
  const { item, used } = await findItem(ctx, input);
  const resolved = await resolveFeedback(ctx.deps, ctx, item, input.rest(used));
  const tz = ctx.workspace.timeZone;
  const days = daysBetween(localDay(item.createdAt, tz), localDay(resolved.resolvedAt ?? ctx.deps.clock.now(), tz));
  const text = ctx.t("feedback.resolved", {
    id: shortId(item),
    name: item.customer.name,
    days,
    resolution: clip(resolved.resolution ?? "", 300),
  });
  return itemReply(ctx, `✅ ${text}`, resolved, false);
}

/** The item a resolve names: by id (from a form, or typed), else the customer's one open item. */
async function findItem(ctx: CommandContext, input: z.infer<typeof schema>): Promise<{ item: FeedbackItem; used: number }> {
  if (input.item) {
    const item = await findFeedbackById(ctx.deps, ctx, input.item);
    if (item) return { item, used: 0 };
  }
  const first = input.words[0];
  if (first && looksLikeFeedbackId(first)) {
    const item = await findFeedbackById(ctx.deps, ctx, first);
    if (item) return { item, used: 1 };
  }
  const { customer, used } = await findLeadingCustomer(ctx.deps, ctx, input.words);
  return { item: await openFeedbackOf(ctx.deps, customer), used };
}

function itemReply(ctx: CommandContext, text: string, item: FeedbackItem, open: boolean): Reply {
  const actions: Extract<Block, { type: "actions" }>["actions"] = [
    { kind: "command", label: ctx.t("action.show"), command: `show ${ref(item.customer)}` },
  ];
  if (open) actions.unshift({ kind: "form", label: ctx.t("feedback.resolve"), form: resolveForm(ctx.t, item) });
  return {
    visibility: "ephemeral",
    locale: ctx.locale,
    summary: text.split("\n")[0]?.replace(/\*\*/g, "") ?? "",
    blocks: [
      { type: "text", text },
      { type: "actions", actions },
    ],
  };
}

async function listReply(ctx: CommandContext): Promise<Reply> {
  const { t } = ctx;
  const { items, total } = await listOpenFeedback(ctx.deps, ctx);
  if (total === 0)
    return {
      visibility: "ephemeral",
      locale: ctx.locale,
      summary: t("feedback.listEmpty"),
      blocks: [{ type: "text", text: t("feedback.listEmpty") }],
    };
  const today = localDay(ctx.deps.clock.now(), ctx.workspace.timeZone);
  const lines = items.map((item) => {
    const days = daysBetween(localDay(item.createdAt, ctx.workspace.timeZone), today);
    const head = t("feedback.item", { id: shortId(item), name: item.customer.name, owner: mention(item.owner, t), days });
    return `• ${head}\n   > ${clip(item.text, 160)}`;
  });
  if (total > items.length) lines.push(t("nudge.more", { count: total - items.length }));
  const title = t("feedback.listTitle", { count: total });
  const verb = feedback.names[ctx.locale][0] ?? feedback.name;
  return {
    visibility: "ephemeral",
    locale: ctx.locale,
    summary: title,
    blocks: [
      { type: "text", text: `**${title}**\n${lines.join("\n")}` },
      { type: "context", text: t("feedback.resolveHint", { cmd: ctx.invocation, verb }) },
      {
        type: "actions",
        actions: items
          .slice(0, 5)
          .map((i) => ({ kind: "form" as const, label: `${t("feedback.resolve")} ${shortId(i)}`, form: resolveForm(t, i) })),
      },
    ],
  };
}
