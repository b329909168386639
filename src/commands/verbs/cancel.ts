// cancel / 取消: what a Cancel button runs; it changes nothing.
import { z } from "zod";
import { textReply } from "../reply.ts";
import { defineVerb } from "../types.ts";

export const cancel = defineVerb({
  name: "cancel",
  names: { en: ["cancel"], zh: ["取消"] },
  options: {},
  hidden: true,
  freeText: true,
  parse: () => ({}),
  schema: z.object({}),
  run: async (ctx) => textReply(ctx.locale, ctx.t("cancel.done")),
});
