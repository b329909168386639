// snooze / 暂缓: holds a customer's revisit reminders for some days or until a date.
import { z } from "zod";
import { findLeadingCustomer, snoozeCustomer } from "../../domain/customers.ts";
import { UserError } from "../../domain/errors.ts";
import { addDays, localDay, parseDay, zonedInstant } from "../../domain/time.ts";
import { textReply } from "../reply.ts";
import { defineVerb } from "../types.ts";

/** "3", "3d", "3天", "3日" -> 3 days; "2026-12-01" -> that day. */
function readUntil(word: string): { days: number } | { day: string } | undefined {
  const days = /^(\d{1,3})\s*(d|days?|天|日)?$/i.exec(word.normalize("NFKC"));
  if (days) return { days: Number(days[1]) };
  const day = parseDay(word);
  return day ? { day } : undefined;
}

export const snooze = defineVerb({
  name: "snooze",
  names: { en: ["snooze", "later", "postpone"], zh: ["暂缓", "推迟", "延后", "稍后"] },
  options: {},
  parse: (args) => {
    const words = args.words.map((w) => w.value);
    const until = words.length > 1 ? readUntil(words.at(-1) as string) : undefined;
    return { words: until ? words.slice(0, -1) : words, until };
  },
  schema: z.object({
    words: z.array(z.string()).min(1, { error: () => "customer.refMissing" }),
    until: z.union([z.object({ days: z.number().int().min(1).max(365) }), z.object({ day: z.string() })], {
      error: () => "hint.snooze",
    }),
  }),
  run: async (ctx, input) => {
    const { customer } = await findLeadingCustomer(ctx.deps, ctx, input.words);
    const tz = ctx.workspace.timeZone;
    const day = "days" in input.until ? addDays(localDay(ctx.deps.clock.now(), tz), input.until.days) : input.until.day;
    if (day <= localDay(ctx.deps.clock.now(), tz)) throw new UserError("snooze.past", {}, "snooze");
    await snoozeCustomer(ctx.deps, ctx, customer, zonedInstant(day, tz));
    return textReply(ctx.locale, `💤 ${ctx.t("snooze.done", { name: customer.name, day })}`);
  },
});
