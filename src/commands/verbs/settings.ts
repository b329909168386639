// settings / 设置: shows the workspace's reminder settings; admins change hours, cadences,
// grace periods, time zone, language and the working-day calendar.
import { z } from "zod";
import { audit } from "../../domain/audit.ts";
import { calendarCovers, knownFestivals } from "../../domain/calendar.ts";
import { UserError } from "../../domain/errors.ts";
import { settingsSchema, type Settings } from "../../domain/settings.ts";
import { isTimeZone, parseDay } from "../../domain/time.ts";
import { workspaceSettings } from "../../domain/workspaces.ts";
import { splitList } from "../args.ts";
import type { Reply } from "../reply.ts";
import { type CommandContext, defineVerb } from "../types.ts";

const hour = z.coerce.number({ error: () => "hint.hour" }).int({ error: () => "hint.hour" }).min(0, { error: () => "hint.hour" }).max(23, { error: () => "hint.hour" });
const days = z.coerce.number({ error: () => "hint.cadence" }).int({ error: () => "hint.cadence" }).min(1, { error: () => "hint.cadence" }).max(365, { error: () => "hint.cadence" });
const grace = z.coerce.number({ error: () => "hint.grace" }).int({ error: () => "hint.grace" }).min(0, { error: () => "hint.grace" }).max(90, { error: () => "hint.grace" });
const dayList = z.string().transform((v, ctx) => {
  const list = splitList(v).map((d) => parseDay(d));
  if (list.some((d) => !d)) ctx.addIssue({ code: "custom", message: "hint.date" });
  return list as string[];
});

const schema = z.object({
  nudgeHour: hour.optional(),
  digestHour: hour.optional(),
  key: days.optional(),
  normal: days.optional(),
  prospect: days.optional(),
  graceKey: grace.optional(),
  graceNormal: grace.optional(),
  graceProspect: grace.optional(),
  timezone: z.string().refine(isTimeZone, { error: () => "hint.timezone" }).optional(),
  locale: z.enum(["en", "zh"], { error: () => "hint.locale" }).optional(),
  calendar: z.enum(["cn", "weekends"], { error: () => "hint.calendar" }).optional(),
  daysoff: dayList.optional(),
  workdays: dayList.optional(),
  festivals: z
    .string()
    .transform((v) => splitList(v))
    .refine((list) => list.every((f) => knownFestivals.includes(f) || /^\d{2}-\d{2}:.+/.test(f)), { error: () => "hint.festivals" })
    .optional(),
});


export const settings = defineVerb({
  name: "settings",
  names: { en: ["settings", "config"], zh: ["设置", "配置"] },
  options: {
    nudgeHour: ["提醒时间", "nudge"],
    digestHour: ["周报时间", "digest"],
    key: ["重点", "重点周期"],
    normal: ["普通", "普通周期"],
    prospect: ["潜在", "潜在周期"],
    graceKey: ["重点宽限"],
    graceNormal: ["普通宽限"],
    graceProspect: ["潜在宽限"],
    timezone: ["时区", "tz"],
    locale: ["语言", "language"],
    calendar: ["日历"],
    daysoff: ["休息日", "假日"],
    workdays: ["上班日", "调休"],
    festivals: ["节日"],
  },
  parse: (args) => args.options,
  schema,
  run: async (ctx, input) => {
    if (Object.values(input).every((v) => v === undefined)) return settingsReply(ctx, workspaceSettings(ctx.workspace));
    if (ctx.member.role !== "admin") throw new UserError("settings.adminOnly");
    const current = workspaceSettings(ctx.workspace);
    const next: Settings = settingsSchema.parse({
      ...current,
      nudgeHour: input.nudgeHour ?? current.nudgeHour,
      digestHour: input.digestHour ?? current.digestHour,
      cadence: { key: input.key ?? current.cadence.key, normal: input.normal ?? current.cadence.normal, prospect: input.prospect ?? current.cadence.prospect },
      grace: {
        key: input.graceKey ?? current.grace.key,
        normal: input.graceNormal ?? current.grace.normal,
        prospect: input.graceProspect ?? current.grace.prospect,
      },
      calendar: input.calendar ?? current.calendar,
      daysOff: input.daysoff ?? current.daysOff,
      workdays: input.workdays ?? current.workdays,
      careFestivals: input.festivals ?? current.careFestivals,
    });
    const workspace = await ctx.deps.prisma.$transaction(async (tx) => {
      const updated = await tx.workspace.update({
        where: { id: ctx.workspace.id },
        data: { settings: next, ...(input.timezone ? { timeZone: input.timezone } : {}), ...(input.locale ? { locale: input.locale } : {}) },
      });
      await audit(tx, {
        workspaceId: ctx.workspace.id,
        actorId: ctx.member.id,
        action: "workspace.settings",
        entity: "workspace",
        entityId: ctx.workspace.id,
        data: JSON.parse(JSON.stringify(input)),
      });
      return updated;
    });
    // New cadences apply from each customer's next logged touch; existing due dates stay as they are.
    return settingsReply({ ...ctx, workspace }, next, true);
  },
});

function settingsReply(ctx: CommandContext, s: Settings, changed = false): Reply {
  const { t, workspace } = ctx;
  const year = ctx.deps.clock.now().getUTCFullYear();
  const lines = [
    t("settings.zone", { tz: workspace.timeZone, locale: workspace.locale }),
    t("settings.hours", { nudge: s.nudgeHour, digest: s.digestHour }),
    t("settings.cadence", { key: s.cadence.key, normal: s.cadence.normal, prospect: s.cadence.prospect }),
    t("settings.grace", { key: s.grace.key, normal: s.grace.normal, prospect: s.grace.prospect }),
    t(s.calendar === "cn" ? "settings.calendarCn" : "settings.calendarWeekends", {
      off: s.daysOff.join(", ") || "—",
      on: s.workdays.join(", ") || "—",
    }),
  ];
  if (s.calendar === "cn" && !calendarCovers(year + 1)) lines.push(t("nudges.calendarGap", { year: year + 1 }));
  const text = `**${t(changed ? "settings.saved" : "settings.title")}**\n${lines.map((l) => `• ${l}`).join("\n")}`;
  return { visibility: "ephemeral", locale: ctx.locale, summary: t("settings.title"), blocks: [{ type: "text", text }] };
}
