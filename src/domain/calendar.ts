// Working days and festivals: weekends off by default; for China the official holidays and
// make-up working days (调休) from the chinese-days package; plus the workspace's own days.
import chineseDays from "chinese-days";
import type { Settings } from "./settings.ts";
import { addDays } from "./time.ts";

function weekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

export function isWorkday(day: string, settings: Pick<Settings, "calendar" | "daysOff" | "workdays">): boolean {
  if (settings.daysOff.includes(day)) return false;
  if (settings.workdays.includes(day)) return true;
  if (settings.calendar === "cn") return chineseDays.isWorkday(day);
  const w = weekday(day);
  return w !== 0 && w !== 6;
}

/** The next working day after `day`. */
export function nextWorkday(day: string, settings: Pick<Settings, "calendar" | "daysOff" | "workdays">): string {
  let next = addDays(day, 1);
  for (let i = 0; i < 60 && !isWorkday(next, settings); i++) next = addDays(next, 1);
  return next;
}

/**
 * Whether the package knows a year's official holidays. The State Council publishes each year's
 * calendar late in the year before, so next year's days arrive with a package update.
 */
export function calendarCovers(year: number): boolean {
  return chineseDays.getHolidaysInRange(`${year}-10-01`, `${year}-10-03`, false).length > 0;
}

export interface Festival {
  key: string;
  day: string;
}

const lunarFestivals: Record<string, string> = {
  springFestival: "01-01",
  lanternFestival: "01-15",
  dragonBoat: "05-05",
  midAutumn: "08-15",
};
const solarFestivals: Record<string, string> = { newYear: "01-01", nationalDay: "10-01", laborDay: "05-01" };

/** The day a festival falls on in a given year: lunar ones converted, solar ones as they are. */
export function festivalDay(key: string, year: number): string | undefined {
  const lunar = lunarFestivals[key];
  if (lunar) return chineseDays.getSolarDateFromLunar(`${year}-${lunar}`).date;
  const solar = solarFestivals[key];
  if (solar) return `${year}-${solar}`;
  // A workspace's own date, written MM-DD:name.
  const own = /^(\d{2}-\d{2}):/.exec(key);
  return own ? `${year}-${own[1]}` : undefined;
}

export const knownFestivals = [...Object.keys(lunarFestivals), ...Object.keys(solarFestivals)];

/** Festivals whose day falls in [from, to] inclusive. */
export function festivalsBetween(keys: string[], from: string, to: string): Festival[] {
  const years = new Set([Number(from.slice(0, 4)), Number(to.slice(0, 4))]);
  const found: Festival[] = [];
  for (const key of keys) {
    for (const year of years) {
      const day = festivalDay(key, year);
      if (day && day >= from && day <= to) found.push({ key, day });
    }
  }
  return found.sort((a, b) => a.day.localeCompare(b.day));
}
