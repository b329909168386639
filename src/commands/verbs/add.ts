// add / 添加: creates a customer owned by the caller (or the named owner).
import { z } from "zod";
import { addCustomer, type CustomerFields } from "../../domain/customers.ts";
import { splitList } from "../args.ts";
import type { Reply } from "../reply.ts";
import { type CommandContext, defineVerb } from "../types.ts";
import { cadenceValue, monthDayValue, shortText, stageValue, tierValue } from "../values.ts";
import { customerSummaryFields, label, ref, word } from "../views.ts";
import { channelOf, channelValue, customerOptions, memberFor, optionalMember } from "./shared.ts";

const schema = z.object({
  name: z.string(),
  tier: tierValue.optional(),
  stage: stageValue.optional(),
  region: shortText(50).optional(),
  owner: optionalMember,
  tags: z
    .array(shortText(30))
    .max(20, { error: () => "hint.tags" })
    .optional(),
  birthday: monthDayValue.optional(),
  cadence: cadenceValue.optional(),
  channel: channelValue.optional(),
});

export const add = defineVerb({
  name: "add",
  names: { en: ["add", "new", "create"], zh: ["添加", "新增", "新建", "录入"] },
  options: customerOptions,
  parse: (args) => ({
    ...args.options,
    name: args.rest(0),
    tags: args.options.tags === undefined ? undefined : splitList(args.options.tags),
  }),
  schema,
  emptyForm: addForm,
  run: async (ctx, input): Promise<Reply> => {
    const customer = await addCustomer(ctx.deps, ctx, input.name, await customerFields(ctx, input));
    const text = ctx.t("add.done", { name: customer.name, tier: word(ctx, "tier", customer.tier) });
    return {
      visibility: "channel",
      locale: ctx.locale,
      summary: text.replace(/\*\*/g, ""),
      blocks: [
        { type: "text", text: `✅ ${text}` },
        { type: "fields", fields: customerSummaryFields(ctx, customer) },
        { type: "actions", actions: [{ kind: "command", label: ctx.t("action.show"), command: `show ${ref(customer)}` }] },
      ],
    };
  },
});

export type AddInput = z.infer<typeof schema>;

/** The domain's fields for a new customer from what was typed (or read from a CSV row). */
export async function customerFields(ctx: CommandContext, input: AddInput): Promise<CustomerFields> {
  const owner = await memberFor(ctx, input.owner);
  return {
    tier: input.tier,
    stage: input.stage,
    ownerId: owner?.id,
    region: input.region,
    tags: input.tags,
    birthday: input.birthday,
    cadenceDays: input.cadence,
    linkedChannel: channelOf(ctx, input.channel),
  };
}

function addForm(ctx: CommandContext) {
  const { t } = ctx;
  const options = (group: "tier" | "stage", values: string[]) => values.map((v) => ({ label: label(t, group, v), value: v }));
  return {
    verb: "add",
    title: t("form.add.title"),
    submitLabel: t("form.save"),
    fields: [
      { name: "_", label: t("field.name"), kind: "text" as const },
      {
        name: "tier",
        label: t("field.tier"),
        kind: "select" as const,
        initial: "normal",
        options: options("tier", ["key", "normal", "prospect"]),
      },
      {
        name: "stage",
        label: t("field.stage"),
        kind: "select" as const,
        optional: true,
        options: options("stage", ["potential", "prospective", "current"]),
      },
      { name: "owner", label: t("field.owner"), kind: "member" as const, optional: true },
      { name: "region", label: t("field.region"), kind: "text" as const, optional: true },
      { name: "tags", label: t("field.tags"), kind: "text" as const, optional: true, placeholder: t("form.tags.placeholder") },
      { name: "birthday", label: t("field.birthday"), kind: "text" as const, optional: true, placeholder: "MM-DD" },
    ],
  };
}
