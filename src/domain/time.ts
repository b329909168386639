// Calendar arithmetic in a workspace's time zone: local days, local hours, adding days across DST.

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

const DAY_MS = 86_400_000;

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock parts of `instant` in `timeZone`. */
export function localParts(instant: Date, timeZone: string): LocalParts {
  const wall = new Date(instant.getTime() + offsetMs(instant.getTime(), timeZone));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
    weekday: wall.getUTCDay(),
  };
}

// Asking Intl for the parts costs microseconds, and a sweep asks for tens of thousands of days.
// A zone's offset changes only at its transitions, so it is asked once per quarter hour of time
// and kept; a quarter hour with a transition inside it (its two ends disagree) is always asked.
const QUARTER_HOUR_MS = 900_000;
const offsetCache = new Map<string, Map<number, number | null>>();
const OFFSET_CACHE_LIMIT = 100_000;

function offsetMs(ms: number, timeZone: string): number {
  let zone = offsetCache.get(timeZone);
  if (!zone) {
    zone = new Map();
    offsetCache.set(timeZone, zone);
  }
  const bucket = Math.floor(ms / QUARTER_HOUR_MS);
  let offset = zone.get(bucket);
  if (offset === undefined) {
    const start = intlOffsetMs(bucket * QUARTER_HOUR_MS, timeZone);
    const end = intlOffsetMs((bucket + 1) * QUARTER_HOUR_MS - 1000, timeZone);
    offset = start === end ? start : null;
    if (zone.size >= OFFSET_CACHE_LIMIT) zone.clear();
    zone.set(bucket, offset);
  }
  return offset ?? intlOffsetMs(ms, timeZone);
}

function intlOffsetMs(ms: number, timeZone: string): number {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) parts[part.type] = part.value;
  const asUtc = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return asUtc - Math.floor(ms / 1000) * 1000;
}

// Day names are kept by day number too: a sweep names tens of thousands of days, nearly all alike.
const dayNames = new Map<number, string>();
const DAY_NAMES_LIMIT = 100_000;

/** The local calendar day of an instant, as YYYY-MM-DD. */
export function localDay(instant: Date, timeZone: string): string {
  return localDayAt(instant.getTime(), timeZone);
}

/** The same for milliseconds since the epoch, for callers naming many days (no Date each). */
export function localDayAt(ms: number, timeZone: string): string {
  const dayNumber = Math.floor((ms + offsetMs(ms, timeZone)) / DAY_MS);
  let name = dayNames.get(dayNumber);
  if (name === undefined) {
    name = dayName(dayNumber);
    if (dayNames.size >= DAY_NAMES_LIMIT) dayNames.clear();
    dayNames.set(dayNumber, name);
  }
  return name;
}

function dayName(dayNumber: number): string {
  // The wall clock's midnight read as if it were UTC: its ISO form begins with the local day.
  const wall = new Date(dayNumber * DAY_MS);
  const year = wall.getUTCFullYear();
  if (year >= 1000 && year <= 9999) return wall.toISOString().slice(0, 10);
  return `${year}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** The instant at which the local wall-clock time `day` `hour`:`minute` happens in `timeZone`. */
export function zonedInstant(day: string, timeZone: string, hour = 0, minute = 0): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, hour, minute);
  // Two passes settle the offset on either side of a DST change.
  let guess = wall - offsetMs(wall, timeZone);
  guess = wall - offsetMs(guess, timeZone);
  return new Date(guess);
}

/** Adds whole calendar days to a local day string. */
export function addDays(day: string, days: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d) + days * DAY_MS);
  return date.toISOString().slice(0, 10);
}

/** Whole days from local day `a` to local day `b` (positive when b is later). */
export function daysBetween(a: string, b: string): number {
  const [ay, am, ad] = a.split("-").map(Number) as [number, number, number];
  const [by, bm, bd] = b.split("-").map(Number) as [number, number, number];
  return Math.round((Date.UTC(by, bm - 1, bd) - Date.UTC(ay, am - 1, ad)) / DAY_MS);
}

/** The same local time of day, `days` calendar days later (a day is 23 or 25 hours across DST). */
export function addLocalDays(instant: Date, days: number, timeZone: string): Date {
  const p = localParts(instant, timeZone);
  const day = addDays(localDay(instant, timeZone), days);
  return zonedInstant(day, timeZone, p.hour, p.minute);
}

/** Parses YYYY-MM-DD (or YYYY/MM/DD, YYYY年M月D日) into YYYY-MM-DD, or undefined. */
export function parseDay(text: string): string | undefined {
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text.trim());
  if (!match) return undefined;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

/** Parses MM-DD (or M月D日, or a full date whose year is dropped) into MM-DD, or undefined. */
export function parseMonthDay(text: string): string | undefined {
  const full = parseDay(text);
  if (full) return full.slice(5);
  const match = /^(\d{1,2})[-/.月](\d{1,2})日?$/.exec(text.trim());
  if (!match) return undefined;
  const [, m, d] = match.map(Number) as [number, number, number];
  // 2024 is a leap year, so 02-29 is a valid birthday.
  const date = new Date(Date.UTC(2024, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return `${pad(m)}-${pad(d)}`;
}

/** Whether `value` names a time zone this runtime knows (IANA names such as Asia/Shanghai). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
