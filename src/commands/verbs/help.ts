// help / 帮助: lists the verbs, or explains one, generated from the registry.
import { z } from "zod";
import type { MessageKey } from "../../i18n/index.ts";
import { findVerb, verbs } from "../registry.ts";
import type { Reply } from "../reply.ts";
import { type CommandContext, defineVerb } from "../types.ts";

export const help = defineVerb({
  name: "help",
  names: { en: ["help", "?"], zh: ["帮助", "说明"] },
  options: {},
  parse: (args) => ({ verb: args.words[0]?.value }),
  schema: z.object({ verb: z.string().optional() }),
  run: async (ctx, input) => (input.verb ? verbHelp(ctx, input.verb) : helpReply(ctx)),
});

function verbName(ctx: CommandContext, name: string): string {
  const verb = findVerb(name)?.verb;
  return verb ? (verb.names[ctx.locale][0] ?? verb.name) : name;
}

export function usageText(ctx: CommandContext, name: string): string {
  const usage = ctx.t(`verb.${name}.usage` as MessageKey, { cmd: ctx.invocation, verb: verbName(ctx, name) });
  return `${ctx.t("help.usage")} ${usage}`;
}

export function helpReply(ctx: CommandContext): Reply {
  const lines = verbs
    .filter((verb) => !verb.hidden)
    .map((verb) => `• \`${verb.names[ctx.locale][0]}\` ${ctx.t(`verb.${verb.name}.summary` as MessageKey)}`);
  const text = `**${ctx.t("help.title")}**\n${lines.join("\n")}`;
  return {
    visibility: "ephemeral",
    locale: ctx.locale,
    summary: ctx.t("help.title"),
    blocks: [
      { type: "text", text },
      { type: "context", text: ctx.t("help.more", { cmd: ctx.invocation, help: verbName(ctx, "help") }) },
    ],
  };
}

function verbHelp(ctx: CommandContext, word: string): Reply {
  const verb = findVerb(word)?.verb;
  if (!verb) return helpReply(ctx);
  const names = [...verb.names.en, ...verb.names.zh].map((n) => `\`${n}\``).join(" ");
  const text = [
    `**${verb.names[ctx.locale][0]}** — ${ctx.t(`verb.${verb.name}.summary` as MessageKey)}`,
    usageText(ctx, verb.name),
    ctx.t(`verb.${verb.name}.details` as MessageKey, { cmd: ctx.invocation }),
  ].join("\n");
  return {
    visibility: "ephemeral",
    locale: ctx.locale,
    summary: ctx.t(`verb.${verb.name}.summary` as MessageKey),
    blocks: [
      { type: "text", text },
      { type: "context", text: `${ctx.t("help.aliases")} ${names}` },
    ],
  };
}
