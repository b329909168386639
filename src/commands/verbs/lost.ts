// lost / 流失: marks a customer lost; it keeps its history and goes back on the prospect list.
import { z } from "zod";
import { findLeadingCustomer, markLost } from "../../domain/customers.ts";
import { defineVerb } from "../types.ts";
import { dueText, ref } from "../views.ts";

export const lost = defineVerb({
  name: "lost",
  names: { en: ["lost", "churn", "churned"], zh: ["流失", "丢失"] },
  options: {},
  freeText: true,
  parse: (args) => ({ words: args.words.map((w) => w.value), rest: args.rest }),
  schema: z.object({
    words: z.array(z.string()).min(1, { error: () => "customer.refMissing" }),
    rest: z.custom<(i: number) => string>(),
  }),
  run: async (ctx, input) => {
    const { customer, used } = await findLeadingCustomer(ctx.deps, ctx, input.words);
    const reason = input.rest(used).slice(0, 500) || undefined;
    const updated = await markLost(ctx.deps, ctx, customer, reason);
    const text = ctx.t("lost.done", { name: customer.name, next: dueText(ctx, updated.nextRevisitAt) });
    return {
      visibility: "channel",
      locale: ctx.locale,
      summary: text.replace(/\*\*/g, ""),
      blocks: [
        { type: "text", text: `📉 ${text}` },
        { type: "actions", actions: [{ kind: "command", label: ctx.t("action.winback"), command: `winback ${ref(customer)}` }] },
      ],
    };
  },
});
