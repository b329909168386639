// A workspace's settings: revisit cadences, grace periods, nudge and digest hours, calendar.
import { z } from "zod";

const tierDays = z.object({
  key: z.number().int().min(1).max(365),
  normal: z.number().int().min(1).max(365),
  prospect: z.number().int().min(1).max(365),
});

export const settingsSchema = z.object({
  /** Days between revisits per tier: key weekly, prospect fortnightly, normal monthly. */
  cadence: tierDays.default({ key: 7, normal: 30, prospect: 14 }),
  /** Days a revisit may stay overdue before the rep's manager hears of it. */
  grace: tierDays.default({ key: 3, normal: 7, prospect: 7 }),
  /** Local hour of the morning revisit DM. */
  nudgeHour: z.number().int().min(0).max(23).default(9),
  /** Local hour and weekday (1 = Monday) of the managers' weekly digest. */
  digestHour: z.number().int().min(0).max(23).default(9),
  digestWeekday: z.number().int().min(0).max(6).default(1),
  /** "cn": China's official holidays and make-up working days; "weekends": Saturday and Sunday off. */
  calendar: z.enum(["cn", "weekends"]).default("weekends"),
  /** The workspace's own days off and working days, YYYY-MM-DD. */
  daysOff: z.array(z.string()).default([]),
  workdays: z.array(z.string()).default([]),
  /** Festivals before which owners are reminded to send greetings, and how many days before. */
  careFestivals: z.array(z.string()).default(["springFestival", "midAutumn", "nationalDay"]),
  careLeadDays: z.number().int().min(0).max(30).default(3),
  /** Send a survey this many days after a visit (0: off), and when a deal reaches acceptance. */
  surveyAfterVisitDays: z.number().int().min(0).max(90).default(0),
  surveyOnAcceptance: z.boolean().default(false),
});

export type Settings = z.infer<typeof settingsSchema>;

/** Reads stored settings; anything missing or malformed falls back to its default. */
export function readSettings(stored: unknown): Settings {
  const parsed = settingsSchema.safeParse(stored ?? {});
  if (parsed.success) return parsed.data;
  const fallback = settingsSchema.parse({});
  const raw = (typeof stored === "object" && stored) || {};
  const merged: Record<string, unknown> = { ...fallback };
  for (const [key, value] of Object.entries(raw)) {
    const one = settingsSchema.safeParse({ ...fallback, [key]: value });
    if (one.success) merged[key] = (one.data as Record<string, unknown>)[key];
  }
  return settingsSchema.parse(merged);
}
