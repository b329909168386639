// settings / 设置: shows the workspace's reminder settings; admins change hours, cadences,
// grace periods, time zone, language, the working-day calendar, automatic surveys and the digest day.
import { z } from "zod";
import { audit } from "../../domain/audit.ts";
import { calendarCovers, knownFestivals } from "../../domain/calendar.ts";
import { UserError } from "../../domain/errors.ts";
import { normalizeName } from "../../domain/names.ts";
import { type Settings, settingsSchema } from "../../domain/settings.ts";
import { isTimeZone, parseDay } from "../../domain/time.ts";
import { workspaceSettings } from "../../domain/workspaces.ts";
import type { MessageKey } from "../../i18n/index.ts";
import { splitList } from "../args.ts";
import type { Reply } from "../reply.ts";
import { type CommandContext, defineVerb } from "../types.ts";

const hour = z.coerce
  .number({ error: () => "hint.hour" })
  .int({ error: () => "hint.hour" })
  .min(0, { error: () => "hint.hour" })
  .max(23, { error: () => "hint.hour" });
const days = z.coerce
  .number({ error: () => "hint.cadence" })
  .int({ error: () => "hint.cadence" })
  .min(1, { error: () => "hint.cadence" })
  .max(365, { error: () => "hint.cadence" });
const grace = z.coerce
  .number({ error: () => "hint.grace" })
  .int({ error: () => "hint.grace" })
  .min(0, { error: () => "hint.grace" })
  .max(90, { error: () => "hint.grace" });
const dayList = z.string().transform((v, ctx) => {
  const list = splitList(v).map((d) => parseDay(d));
  if (list.some((d) => !d)) ctx.addIssue({ code: "custom", message: "hint.date" });
  return list as string[];
});

const surveyDays = z.coerce
  .number({ error: () => "hint.surveyDays" })
  .int({ error: () => "hint.surveyDays" })
  .min(0, { error: () => "hint.surveyDays" })
  .max(90, { error: () => "hint.surveyDays" });
const switches = new Map([
  ...["on", "yes", "true", "开", "开启", "是"].map((w) => [w, true] as const),
  ...["off", "no", "false", "关", "关闭", "否"].map((w) => [w, false] as const),
]);
const onOff = z.string().transform((v, ctx) => {
  const on = switches.get(normalizeName(v));
  if (on === undefined) ctx.addIssue({ code: "custom", message: "hint.onOff" });
  return on ?? false;
});
// 0 is Sunday, as in settings.digestWeekday.
const weekdayWords = [
  ["sun", "sunday", "周日", "周天", "星期日", "星期天"],
  ["mon", "monday", "周一", "星期一"],
  ["tue", "tuesday", "周二", "星期二"],
  ["wed", "wednesday", "周三", "星期三"],
  ["thu", "thursday", "周四", "星期四"],
  ["fri", "friday", "周五", "星期五"],
  ["sat", "saturday", "周六", "星期六"],
];
const weekday = z.string().transform((v, ctx) => {
  const word = normalizeName(v);
  const day = /^[0-6]$/.test(word) ? Number(word) : weekdayWords.findIndex((names) => names.includes(word));
  if (day < 0) ctx.addIssue({ code: "custom", message: "hint.weekday" });
  return Math.max(0, day);
});

const schema = z.object({
  nudgeHour: hour.optional(),
  surveyAfterVisit: surveyDays.optional(),
  surveyOnAcceptance: onOff.optional(),
  digestDay: weekday.optional(),
  digestHour: hour.optional(),
  key: days.optional(),
  normal: days.optional(),
  prospect: days.optional(),
  graceKey: grace.optional(),
  graceNormal: grace.optional(),
  graceProspect: grace.optional(),
  timezone: z
    .string()
    .refine(isTimeZone, { error: () => "hint.timezone" })
    .optional(),
  locale: z.enum(["en", "zh"], { error: () => "hint.locale" }).optional(),
  calendar: z.enum(["cn", "weekends"], { error: () => "hint.calendar" }).optional(),
  daysoff: dayList.optional(),
  workdays: dayList.optional(),
  festivals: z
    .string()
    .transform((v) => splitList(v))
    .refine((list) => list.every((f) => knownFestivals.includes(f) || /^\d{2}-\d{2}:.+/.test(f)), {
      error: () => "hint.festivals",
    })
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
    surveyAfterVisit: ["访后调查", "拜访后调查"],
    surveyOnAcceptance: ["验收调查"],
    digestDay: ["digestWeekday", "周报日"],
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
      digestWeekday: input.digestDay ?? current.digestWeekday,
      surveyAfterVisitDays: input.surveyAfterVisit ?? current.surveyAfterVisitDays,
      surveyOnAcceptance: input.surveyOnAcceptance ?? current.surveyOnAcceptance,
      cadence: {
        key: input.key ?? current.cadence.key,
        normal: input.normal ?? current.cadence.normal,
        prospect: input.prospect ?? current.cadence.prospect,
      },
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
        data: {
          settings: next,
          ...(input.timezone ? { timeZone: input.timezone } : {}),
          ...(input.locale ? { locale: input.locale } : {}),
        },
      });
      await audit(tx, {
        createdAt: ctx.deps.clock.now(),
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
    t("settings.hours", { nudge: s.nudgeHour, digest: s.digestHour, weekday: t(`weekday.${s.digestWeekday}` as MessageKey) }),
    t("settings.surveys", {
      visit: s.surveyAfterVisitDays > 0 ? t("settings.surveyVisitOn", { days: s.surveyAfterVisitDays }) : t("settings.off"),
      acceptance: t(s.surveyOnAcceptance ? "settings.on" : "settings.off"),
    }),
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
