// list / 列表: customers the caller may see, filtered and paged, most overdue first.
import { z } from "zod";
import { listCustomers, PAGE_SIZE } from "../../domain/customer-views.ts";
import { normalizeName } from "../../domain/names.ts";
import type { Action, Block, Reply } from "../reply.ts";
import { type CommandContext, defineVerb } from "../types.ts";
import { shortText, stageValue, tierValue } from "../values.ts";
import { dueText, label, mention, ref } from "../views.ts";
import { memberFor, optionalMember } from "./shared.ts";

const flagWords: Record<string, "mine" | "overdue"> = {
  mine: "mine",
  my: "mine",
  我的: "mine",
  我: "mine",
  overdue: "overdue",
  due: "overdue",
  逾期: "overdue",
  到期: "overdue",
  待回访: "overdue",
};

const schema = z.object({
  flags: z.array(z.enum(["mine", "overdue"], { error: () => "hint.listFlag" })),
  tier: tierValue.optional(),
  stage: stageValue.optional(),
  region: shortText(50).optional(),
  tag: shortText(30).optional(),
  owner: optionalMember,
  page: z.coerce
    .number({ error: () => "hint.page" })
    .int({ error: () => "hint.page" })
    .min(1, { error: () => "hint.page" })
    .optional(),
});

export const list = defineVerb({
  name: "list",
  names: { en: ["list", "ls", "customers"], zh: ["列表", "客户列表", "清单"] },
  options: {
    tier: ["等级", "级别"],
    stage: ["阶段", "状态"],
    region: ["地区", "区域"],
    tag: ["tags", "标签"],
    owner: ["负责人", "销售"],
    page: ["页", "页码", "p"],
  },
  parse: (args) => ({
    ...args.options,
    flags: args.words.map((w) => flagWords[normalizeName(w.value)] ?? w.value),
  }),
  schema,
  run: async (ctx, input) => {
    const owner = await memberFor(ctx, input.owner);
    const filter = {
      mine: input.flags.includes("mine"),
      overdue: input.flags.includes("overdue"),
      tier: input.tier,
      stage: input.stage,
      region: input.region,
      tag: input.tag,
      ownerId: owner?.id,
    };
    const page = await listCustomers(ctx.deps, ctx, filter, input.page ?? 1);
    return listReply(ctx, page, commandFor(input));
  },
});

function commandFor(input: z.infer<typeof schema>): string {
  const parts = ["list", ...input.flags];
  for (const key of ["tier", "stage", "region", "tag"] as const)
    if (input[key]) parts.push(`${key}=${JSON.stringify(input[key])}`);
  if (input.owner) parts.push(`owner=${"id" in input.owner ? `<@${input.owner.id}>` : `@${input.owner.name}`}`);
  return parts.join(" ");
}

function listReply(ctx: CommandContext, page: Awaited<ReturnType<typeof listCustomers>>, command: string): Reply {
  const { t } = ctx;
  if (page.total === 0)
    return {
      visibility: "ephemeral",
      locale: ctx.locale,
      summary: t("list.empty"),
      blocks: [{ type: "text", text: t("list.empty") }],
    };
  const lines = page.items.map(
    (c) =>
      `• **${c.name}** · ${label(t, "tier", c.tier)} · ${label(t, "stage", c.stage)} · ${mention(c.owner, t)}\n   ${t("field.nextRevisit")}: ${dueText(ctx, c.nextRevisitAt, c.snoozedUntil)}`,
  );
  const first = (page.page - 1) * PAGE_SIZE + 1;
  const header = t("list.header", { from: first, to: first + page.items.length - 1, total: page.total });
  const actions: Action[] = [];
  if (page.page > 1) actions.push({ kind: "command", label: t("action.prev"), command: `${command} page=${page.page - 1}` });
  if (page.page < page.pages)
    actions.push({ kind: "command", label: t("action.next"), command: `${command} page=${page.page + 1}` });
  // A menu opens any listed customer's card in one click.
  actions.push({
    kind: "select",
    placeholder: t("action.show"),
    options: page.items.map((c) => ({ label: c.name, command: `show ${ref(c)}` })),
  });
  const blocks: Block[] = [
    { type: "text", text: `**${header}**\n${lines.join("\n")}` },
    { type: "context", text: t("list.page", { page: page.page, pages: page.pages }) },
    { type: "actions", actions },
  ];
  return { visibility: "ephemeral", locale: ctx.locale, summary: header, blocks };
}
