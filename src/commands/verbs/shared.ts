// Option names and readers that several verbs share.
import { z } from "zod";
import { UserError } from "../../domain/errors.ts";
import type { MemberRef } from "../../domain/members.ts";
import { resolveMember } from "../../domain/members.ts";
import { normalizeName } from "../../domain/names.ts";
import type { CommandContext } from "../types.ts";
import { memberValue } from "../values.ts";

export const customerOptions = {
  tier: ["等级", "级别", "分级", "类别"],
  stage: ["阶段", "状态", "生命周期"],
  region: ["地区", "区域", "area"],
  owner: ["负责人", "归属", "销售"],
  tags: ["tag", "标签"],
  birthday: ["生日", "bday"],
  cadence: ["周期", "回访周期", "every"],
  channel: ["link", "频道", "群", "群聊", "绑定"],
} as const;

const hereWords = new Set(["here", "this", "yes", "y", "true", "这里", "本群", "此群", "当前", "是", "本频道"]);

/** A channel as typed: "here" (the one the command is used in) or a mention <#C123|name>. */
export const channelValue = z.string().transform((v, ctx) => {
  const mention = /^<#([A-Za-z0-9_-]+)(?:\|[^>]*)?>$/.exec(v.trim());
  if (mention) return { id: mention[1] as string };
  if (hereWords.has(normalizeName(v))) return { here: true as const };
  ctx.addIssue({ code: "custom", message: "hint.channel" });
  return { here: true as const };
});

export function channelOf(ctx: CommandContext, value: { id: string } | { here: true } | undefined): string | undefined {
  if (!value) return undefined;
  if ("id" in value) return value.id;
  if (!ctx.channel) throw new UserError("link.noChannel");
  return ctx.channel;
}

export const optionalMember = memberValue.optional();

export async function memberFor(ctx: CommandContext, ref: MemberRef | undefined) {
  if (!ref) return undefined;
  return resolveMember(ctx.deps, ctx.workspace, ref, ctx.directory);
}
