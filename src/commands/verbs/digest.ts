// digest / 周报: last week's digest on demand: a manager's team, or an admin's whole workspace.
import { z } from "zod";
import { digestFor } from "../../domain/digest.ts";
import { renderDigest } from "../../scheduler/messages/digest.ts";
import { defineVerb } from "../types.ts";

export const digest = defineVerb({
  name: "digest",
  names: { en: ["digest", "weekly", "report"], zh: ["周报", "简报", "周报告"] },
  options: {},
  parse: () => ({}),
  schema: z.object({}),
  run: async (ctx) => renderDigest(ctx, await digestFor(ctx.deps, ctx)),
});
