// show / 查看: the customer card, with buttons to log, snooze and change stage.
import { z } from "zod";
import { customerCard } from "../../domain/customer-views.ts";
import { findCustomer } from "../../domain/customers.ts";
import { defineVerb } from "../types.ts";
import { customerCardBlocks } from "../views.ts";

export const show = defineVerb({
  name: "show",
  names: { en: ["show", "view", "card", "info"], zh: ["查看", "详情", "客户卡片", "查询"] },
  options: {},
  parse: (args) => ({ name: args.rest(0) }),
  schema: z.object({ name: z.string().min(1, { error: () => "customer.refMissing" }) }),
  run: async (ctx, input) => {
    const { customer } = await findCustomer(ctx.deps, ctx, input.name);
    const card = await customerCard(ctx.deps, customer);
    return { visibility: "ephemeral", locale: ctx.locale, summary: customer.name, blocks: customerCardBlocks(ctx, card) };
  },
});
