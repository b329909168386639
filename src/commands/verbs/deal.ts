// deal / 商机: opens an opportunity, moves it through the eight funnel stages, closes it won or lost.
import { z } from "zod";
import { visibleCustomers } from "../../domain/access.ts";
import { findLeadingCustomer } from "../../domain/customers.ts";
import { UserError } from "../../domain/errors.ts";
import { normalizeName } from "../../domain/names.ts";
import {
  closeOpportunity,
  FUNNEL,
  findOpenOpportunity,
  listOpportunities,
  moveOpportunity,
  openOpportunity,
} from "../../domain/opportunities.ts";
import type { Block, Reply } from "../reply.ts";
import { type CommandContext, defineVerb } from "../types.ts";
import { amountValue, currencyValue, dayValue, funnelValue, shortText } from "../values.ts";
import { clip, label, ref } from "../views.ts";

const actions = {
  open: ["open", "new", "add", "新建", "新增", "创建", "开启"],
  stage: ["stage", "move", "advance", "推进", "阶段", "移动"],
  won: ["won", "win", "赢单", "成交", "签单"],
  lost: ["lost", "lose", "输单", "丢单", "失败"],
  list: ["list", "ls", "funnel", "列表", "漏斗", "查看"],
} as const;
type DealAction = keyof typeof actions;

const actionOf = new Map<string, DealAction>();
for (const [action, words] of Object.entries(actions) as [DealAction, readonly string[]][]) {
  for (const word of words) actionOf.set(normalizeName(word), action);
}

const schema = z.object({
  action: z.enum(["open", "stage", "won", "lost", "list"], { error: () => "hint.dealAction" }),
  words: z.array(z.string()),
  rest: z.custom<(i: number) => string>(),
  amount: amountValue.optional(),
  currency: currencyValue.optional(),
  close: dayValue.optional(),
  stage: funnelValue.optional(),
  title: shortText(120).optional(),
});

export const deal = defineVerb({
  name: "deal",
  names: { en: ["deal", "opportunity", "opp"], zh: ["商机", "机会", "项目"] },
  options: {
    amount: ["金额", "价格", "value"],
    currency: ["币种", "货币"],
    close: ["预计成交", "成交日期", "结单", "expected"],
    stage: ["阶段"],
    title: ["名称", "标题", "deal"],
  },
  freeText: true,
  parse: (args) => {
    const first = args.words[0]?.value ?? "";
    const action = actionOf.get(normalizeName(first)) ?? first;
    const words = args.words.slice(1).map((w) => w.value);
    return { ...args.options, action, words, rest: (i: number) => args.rest(i + 1) };
  },
  schema,
  run: async (ctx, input) => {
    if (input.action === "list" && input.words.length === 0) return funnelReply(ctx);
    // `deal stage Acme Corp quote`: the stage is the last word, the customer the words before it.
    const stageWord = input.action === "stage" && !input.stage ? input.words.at(-1) : undefined;
    const stage = input.stage ?? (stageWord ? funnelValue.safeParse(stageWord).data : undefined);
    if (input.action === "stage" && !stage) throw new UserError("hint.funnel", {}, "deal");
    const customerWords = stageWord ? input.words.slice(0, -1) : input.words;
    if (customerWords.length === 0) throw new UserError("customer.refMissing", {}, "deal");
    const { customer, used } = await findLeadingCustomer(ctx.deps, ctx, customerWords);

    switch (input.action) {
      case "open": {
        const title = input.title ?? input.rest(used);
        const opportunity = await openOpportunity(ctx.deps, ctx, customer, {
          title,
          amount: input.amount,
          currency: input.currency,
          expectedClose: input.close,
          stage,
        });
        return done(
          ctx,
          "deal.opened",
          { name: customer.name, title: opportunity.title, stage: label(ctx.t, "funnel", opportunity.stage) },
          customer,
        );
      }
      case "stage": {
        const opportunity = await findOpenOpportunity(ctx.deps, customer, input.title);
        const moved = await moveOpportunity(ctx.deps, ctx, customer, opportunity, stage as (typeof FUNNEL)[number]);
        return done(
          ctx,
          "deal.moved",
          { name: customer.name, title: moved.title, stage: label(ctx.t, "funnel", moved.stage) },
          customer,
        );
      }
      case "won":
      case "lost": {
        const opportunity = await findOpenOpportunity(ctx.deps, customer, input.title);
        await closeOpportunity(ctx.deps, ctx, customer, opportunity, input.action);
        return done(
          ctx,
          input.action === "won" ? "deal.won" : "deal.lost",
          { name: customer.name, title: opportunity.title },
          customer,
        );
      }
      case "list": {
        const all = await listOpportunities(ctx.deps, customer.id);
        if (all.length === 0) return plain(ctx, ctx.t("deal.none", { name: customer.name }));
        const lines = all.map(
          (o) =>
            `• ${clip(o.title, 80)} · ${o.status === "open" ? label(ctx.t, "funnel", o.stage) : ctx.t(o.status === "won" ? "deal.statusWon" : "deal.statusLost")}${o.amount ? ` · ${o.currency} ${o.amount.toString()}` : ""}`,
        );
        return plain(ctx, `**${ctx.t("deal.listTitle", { name: customer.name })}**\n${lines.join("\n")}`);
      }
    }
  },
});

function done(
  ctx: CommandContext,
  key: "deal.opened" | "deal.moved" | "deal.won" | "deal.lost",
  params: Record<string, string>,
  customer: { id: string },
): Reply {
  const text = ctx.t(key, params);
  return {
    visibility: "channel",
    locale: ctx.locale,
    summary: text.replace(/\*\*/g, ""),
    blocks: [
      { type: "text", text: `💼 ${text}` },
      { type: "actions", actions: [{ kind: "command", label: ctx.t("action.show"), command: `show ${ref(customer)}` }] },
    ],
  };
}

function plain(ctx: CommandContext, text: string): Reply {
  return {
    visibility: "ephemeral",
    locale: ctx.locale,
    summary: text.split("\n")[0]?.replace(/\*\*/g, "") ?? "",
    blocks: [{ type: "text", text }],
  };
}

/** The funnel of the opportunities the caller may see: count and amount per stage. */
async function funnelReply(ctx: CommandContext): Promise<Reply> {
  const visible = await visibleCustomers(ctx.deps, ctx);
  const groups = await ctx.deps.prisma.opportunity.groupBy({
    by: ["stage", "currency"],
    where: { status: "open", customer: visible },
    _count: { _all: true },
    _sum: { amount: true },
  });
  if (groups.length === 0) return plain(ctx, ctx.t("deal.funnelEmpty"));
  const lines = FUNNEL.flatMap((stage) =>
    groups
      .filter((g) => g.stage === stage)
      .map((g) => `• ${label(ctx.t, "funnel", stage)}: ${g._count._all} · ${g.currency} ${g._sum.amount?.toString() ?? "0"}`),
  );
  const blocks: Block[] = [{ type: "text", text: `**${ctx.t("deal.funnelTitle")}**\n${lines.join("\n")}` }];
  return { visibility: "ephemeral", locale: ctx.locale, summary: ctx.t("deal.funnelTitle"), blocks };
}
