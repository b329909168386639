// edit / 修改: changes a customer's tier, stage, owner, region, tags, birthday, cadence or name.
import { z } from "zod";
import { findCustomer, markLost, updateCustomer, winBack } from "../../domain/customers.ts";
import { UserError } from "../../domain/errors.ts";
import { nameInitials, normalizeName } from "../../domain/names.ts";
import { splitList } from "../args.ts";
import type { Reply } from "../reply.ts";
import { defineVerb } from "../types.ts";
import { cadenceValue, monthDayValue, shortText, stageValue, tierValue } from "../values.ts";
import { customerSummaryFields, ref } from "../views.ts";
import { channelOf, channelValue, customerOptions, memberFor, optionalMember } from "./shared.ts";

const clearWords = new Set(["-", "none", "null", "clear", "无", "空", "清除", "默认", "default"]);
const orClear = <T extends z.ZodType>(schema: T) =>
  z.union([
    z
      .string()
      .refine((v) => clearWords.has(normalizeName(v)))
      .transform(() => null),
    schema,
  ]);

const schema = z.object({
  name: z.string().min(1, { error: () => "customer.refMissing" }),
  rename: shortText(100).optional(),
  tier: tierValue.optional(),
  stage: stageValue.optional(),
  region: orClear(shortText(50)).optional(),
  owner: optionalMember,
  tags: z
    .array(shortText(30))
    .max(20, { error: () => "hint.tags" })
    .optional(),
  birthday: orClear(monthDayValue).optional(),
  cadence: orClear(cadenceValue).optional(),
  channel: orClear(channelValue).optional(),
});

export const edit = defineVerb({
  name: "edit",
  names: { en: ["edit", "set", "update", "change"], zh: ["修改", "编辑", "更新"] },
  options: { ...customerOptions, rename: ["名称", "改名", "新名称"] },
  parse: (args) => ({
    ...args.options,
    name: args.rest(0),
    tags: args.options.tags === undefined ? undefined : splitList(args.options.tags),
  }),
  schema,
  run: async (ctx, input): Promise<Reply> => {
    const { customer } = await findCustomer(ctx.deps, ctx, input.name);
    const { name: _, stage, ...changes } = input;
    if (Object.values(changes).every((v) => v === undefined) && stage === undefined) {
      throw new UserError("edit.nothing", {}, "edit");
    }
    let current = customer;
    // Losing and winning back are lifecycle events with their own rules, not plain edits.
    if (stage === "lost" && customer.stage !== "lost") current = await markLost(ctx.deps, ctx, current, undefined);
    else if (stage && stage !== "lost" && customer.stage === "lost") current = await winBack(ctx.deps, ctx, current);
    const owner = await memberFor(ctx, input.owner);
    const renamed = input.rename?.replace(/\s+/g, " ").trim();
    const plainStage = stage && stage !== "lost" && stage !== current.stage ? stage : undefined;
    const fields = {
      tier: input.tier,
      stage: plainStage,
      ownerId: owner?.id,
      region: input.region,
      tags: input.tags,
      birthday: input.birthday,
      cadenceDays: input.cadence,
      linkedChannel: input.channel === undefined ? undefined : input.channel === null ? null : channelOf(ctx, input.channel),
      ...(renamed ? { name: renamed, normalizedName: normalizeName(renamed), initials: nameInitials(renamed) } : {}),
    };
    if (Object.values(fields).some((v) => v !== undefined)) current = await updateCustomer(ctx.deps, ctx, current, fields);
    const text = ctx.t("edit.done", { name: current.name });
    return {
      visibility: "ephemeral",
      locale: ctx.locale,
      summary: text.replace(/\*\*/g, ""),
      blocks: [
        { type: "text", text: `✏️ ${text}` },
        { type: "fields", fields: customerSummaryFields(ctx, current) },
        { type: "actions", actions: [{ kind: "command", label: ctx.t("action.show"), command: `show ${ref(current)}` }] },
      ],
    };
  },
});
