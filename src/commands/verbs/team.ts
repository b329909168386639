// team / 团队: shows the team, or sets a member's manager and role (admins only).
import { z } from "zod";
import { UserError } from "../../domain/errors.ts";
import { changeTeam, listTeam } from "../../domain/members.ts";
import { normalizeName } from "../../domain/names.ts";
import type { Reply } from "../reply.ts";
import { defineVerb } from "../types.ts";
import { memberValue, roleValue } from "../values.ts";
import { label, mention, word } from "../views.ts";
import { memberFor } from "./shared.ts";

const noneWords = new Set(["none", "-", "无", "没有", "清除"]);

export const team = defineVerb({
  name: "team",
  names: { en: ["team", "member", "members"], zh: ["团队", "成员", "人员"] },
  options: { manager: ["经理", "主管", "上级", "leader"], role: ["角色", "职务"] },
  parse: (args) => ({
    member: args.words[0]?.value,
    manager: args.options.manager,
    role: args.options.role,
  }),
  schema: z.object({
    member: memberValue.optional(),
    manager: z
      .union([
        z
          .string()
          .refine((v) => noneWords.has(normalizeName(v)))
          .transform(() => null),
        memberValue,
      ])
      .optional(),
    role: roleValue.optional(),
  }),
  run: async (ctx, input): Promise<Reply> => {
    if (!input.member) return teamList(ctx);
    if (input.manager === undefined && input.role === undefined) throw new UserError("team.nothing", {}, "team");
    const target = await memberFor(ctx, input.member);
    if (!target) throw new UserError("hint.member", {}, "team");
    const manager = input.manager === null ? null : await memberFor(ctx, input.manager);
    const updated = await changeTeam(ctx.deps, ctx, target, { manager, role: input.role });
    const text = ctx.t("team.done", {
      member: mention(updated, ctx.t),
      role: word(ctx, "role", updated.role),
      manager: manager ? mention(manager, ctx.t) : ctx.t("label.nobody"),
    });
    return { visibility: "ephemeral", locale: ctx.locale, summary: text, blocks: [{ type: "text", text: `👥 ${text}` }] };
  },
});

async function teamList(ctx: Parameters<typeof team.run>[0]): Promise<Reply> {
  const members = await listTeam(ctx.deps, ctx.workspace.id);
  const lines = members.map(
    (m) =>
      `• ${mention(m, ctx.t)} · ${label(ctx.t, "role", m.role)}${m.manager ? ` · ${ctx.t("team.reportsTo", { manager: mention(m.manager, ctx.t) })}` : ""}`,
  );
  const text = `**${ctx.t("team.title")}**\n${lines.slice(0, 60).join("\n")}${lines.length > 60 ? `\n… ${ctx.t("team.more", { count: lines.length - 60 })}` : ""}`;
  return { visibility: "ephemeral", locale: ctx.locale, summary: ctx.t("team.title"), blocks: [{ type: "text", text }] };
}
