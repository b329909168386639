// winback / 挽回: a lost customer is won back and becomes a current customer again.
import { z } from "zod";
import { findCustomerWithoutOwner, winBack } from "../../domain/customers.ts";
import { textReply } from "../reply.ts";
import { defineVerb } from "../types.ts";

export const winback = defineVerb({
  name: "winback",
  names: { en: ["winback", "win-back", "regain"], zh: ["挽回", "召回", "赢回"] },
  options: {},
  parse: (args) => ({ name: args.rest(0) }),
  schema: z.object({ name: z.string().min(1, { error: () => "customer.refMissing" }) }),
  run: async (ctx, input) => {
    const { customer } = await findCustomerWithoutOwner(ctx.deps, ctx, input.name);
    await winBack(ctx.deps, ctx, customer);
    return textReply(ctx.locale, `🎉 ${ctx.t("winback.done", { name: customer.name })}`, "channel");
  },
});
