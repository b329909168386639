// nudges / 提醒: what reminders went out today and what the morning sweep will send.
import { z } from "zod";
import { calendarCovers, isWorkday, nextWorkday } from "../../domain/calendar.ts";
import { previewSweep } from "../../domain/nudges/plan.ts";
import { localDay } from "../../domain/time.ts";
import { workspaceSettings } from "../../domain/workspaces.ts";
import type { MessageKey } from "../../i18n/index.ts";
import type { Block, Reply } from "../reply.ts";
import { type CommandContext, defineVerb } from "../types.ts";
import { mention } from "../views.ts";

export const nudges = defineVerb({
  name: "nudges",
  names: { en: ["nudges", "reminders"], zh: ["提醒", "提醒记录"] },
  options: {},
  parse: (args) => ({ all: args.words.some((w) => ["all", "全部", "所有"].includes(w.value.toLowerCase())) }),
  schema: z.object({ all: z.boolean() }),
  run: async (ctx, input) => nudgesReply(ctx, input.all && ctx.member.role === "admin"),
});

async function nudgesReply(ctx: CommandContext, everyone: boolean): Promise<Reply> {
  const { t, workspace, deps } = ctx;
  const settings = workspaceSettings(workspace);
  const today = localDay(deps.clock.now(), workspace.timeZone);
  const mine = everyone ? {} : { recipientId: ctx.member.id };
  const sent = await deps.prisma.nudge.findMany({
    where: { workspaceId: workspace.id, day: today, ...mine },
    orderBy: { createdAt: "asc" },
    take: 40,
  });
  const blocks: Block[] = [{ type: "header", text: t("nudges.title", { day: today }) }];
  if (sent.length > 0) {
    const recipients = new Map(
      (await deps.prisma.member.findMany({ where: { id: { in: sent.map((n) => n.recipientId) } } })).map((m) => [m.id, m]),
    );
    const lines = sent.map(
      (n) =>
        `• ${t(`nudges.kind.${n.kind}` as MessageKey)} → ${mention(recipients.get(n.recipientId), t)} · ${t(`nudges.status.${n.status}` as MessageKey)}${n.lastError ? ` (${n.lastError.slice(0, 80)})` : ""}`,
    );
    blocks.push({ type: "text", text: `**${t("nudges.sentToday")}**\n${lines.join("\n")}` });
  }
  if (!isWorkday(today, settings)) {
    blocks.push({ type: "text", text: t("nudges.notWorkday", { next: nextWorkday(today, settings) }) });
  } else {
    const plan = await previewSweep(deps, workspace, { anyHour: true });
    const already = new Set(sent.map((n) => `${n.kind}:${n.recipientId}`));
    const upcoming = plan.nudges.filter(
      (n) => (everyone || n.recipientId === ctx.member.id) && !already.has(`${n.kind}:${n.recipientId}`),
    );
    const counts = (payload: unknown) =>
      (payload as { total?: number }).total ?? (payload as { reps?: unknown[] }).reps?.length ?? 1;
    const lines = upcoming.map((n) => `• ${t(`nudges.kind.${n.kind}` as MessageKey)} · ${counts(n.payload)}`);
    blocks.push({
      type: "text",
      text: lines.length
        ? `**${t("nudges.upcoming", { hour: settings.nudgeHour })}**\n${lines.join("\n")}`
        : t("nudges.nothingUpcoming"),
    });
  }
  if (settings.calendar === "cn" && !calendarCovers(Number(today.slice(0, 4)) + 1) && today.slice(5) >= "11-01") {
    blocks.push({ type: "context", text: t("nudges.calendarGap", { year: Number(today.slice(0, 4)) + 1 }) });
  }
  return { visibility: "ephemeral", locale: ctx.locale, summary: t("nudges.title", { day: today }), blocks };
}
