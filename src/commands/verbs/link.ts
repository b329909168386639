// link / 绑定: links a channel or group to a customer; survey links for it go there.
import { z } from "zod";
import { findLeadingCustomer, linkChannel } from "../../domain/customers.ts";
import { normalizeName } from "../../domain/names.ts";
import { textReply } from "../reply.ts";
import { defineVerb } from "../types.ts";
import { channelOf, channelValue } from "./shared.ts";

const offWords = new Set(["off", "none", "unlink", "remove", "解除", "取消", "解绑"]);

export const link = defineVerb({
  name: "link",
  names: { en: ["link", "bind"], zh: ["绑定", "关联"] },
  options: {},
  parse: (args) => {
    const words = args.words.map((w) => w.value);
    const last = words.length > 1 ? (words.at(-1) as string) : "";
    if (offWords.has(normalizeName(last))) return { words: words.slice(0, -1), off: true };
    const channel = channelValue.safeParse(last);
    if (last && channel.success && /^<#/.test(last)) return { words: words.slice(0, -1), channel: channel.data };
    return { words, channel: { here: true } };
  },
  schema: z.object({
    words: z.array(z.string()).min(1, { error: () => "customer.refMissing" }),
    off: z.boolean().optional(),
    channel: z.union([z.object({ id: z.string() }), z.object({ here: z.literal(true) })]).optional(),
  }),
  run: async (ctx, input) => {
    const { customer } = await findLeadingCustomer(ctx.deps, ctx, input.words);
    if (input.off) {
      await linkChannel(ctx.deps, ctx, customer, null);
      return textReply(ctx.locale, `🔗 ${ctx.t("link.removed", { name: customer.name })}`, "channel");
    }
    const channel = channelOf(ctx, input.channel) as string;
    await linkChannel(ctx.deps, ctx, customer, channel);
    return textReply(ctx.locale, `🔗 ${ctx.t("link.done", { name: customer.name, channel: `<#${channel}>` })}`, "channel");
  },
});
