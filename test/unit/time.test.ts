import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nextRevisitDate } from "../../src/domain/cadence.ts";
import { readSettings } from "../../src/domain/settings.ts";
import {
  addDays,
  addLocalDays,
  daysBetween,
  localDay,
  localParts,
  parseDay,
  parseMonthDay,
  zonedInstant,
} from "../../src/domain/time.ts";

describe("local days and hours", () => {
  it("knows the local day of an instant in the workspace's time zone", () => {
    const instant = new Date("2026-11-25T17:30:00Z");
    expect(localDay(instant, "Asia/Shanghai")).toBe("2026-11-26");
    expect(localDay(instant, "America/New_York")).toBe("2026-11-25");
  });

  it("reads the same wall-clock parts as Intl, at any instant, around transitions and odd offsets", () => {
    // Zones with DST, half- and three-quarter-hour offsets, a half-hour DST (Lord Howe), and an
    // offset in seconds (Monrovia before 1972): the cached offsets must never differ from Intl's.
    const zones = [
      "America/New_York",
      "Australia/Lord_Howe",
      "Asia/Kathmandu",
      "Pacific/Chatham",
      "America/St_Johns",
      "Africa/Monrovia",
      "Asia/Shanghai",
    ];
    const intl = (instant: Date, timeZone: string) => {
      const parts = Object.fromEntries(
        new Intl.DateTimeFormat("en-US", {
          timeZone,
          hourCycle: "h23",
          year: "numeric",
          month: "numeric",
          day: "numeric",
          hour: "numeric",
          minute: "numeric",
          second: "numeric",
          weekday: "short",
        })
          .formatToParts(instant)
          .map((p) => [p.type, p.value]),
      );
      const weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(parts.weekday ?? "");
      return {
        year: +(parts.year ?? 0),
        month: +(parts.month ?? 0),
        day: +(parts.day ?? 0),
        hour: +(parts.hour ?? 0),
        minute: +(parts.minute ?? 0),
        second: +(parts.second ?? 0),
        weekday,
      };
    };
    // Instants a few seconds either side of New York's 2026 transitions, then anywhere.
    const edges = ["2026-03-08T06:59:59Z", "2026-03-08T07:00:00Z", "2026-11-01T05:59:59Z", "2026-11-01T06:00:00Z"].map(
      (t) => new Date(t),
    );
    for (const instant of edges) expect(localParts(instant, "America/New_York")).toEqual(intl(instant, "America/New_York"));
    // Monrovia moved from -00:44:30 to GMT at 00:44:30 UTC, inside a quarter hour.
    for (const t of ["1972-01-07T00:40:00Z", "1972-01-07T00:44:29Z", "1972-01-07T00:44:30Z", "1972-01-07T00:50:00Z"]) {
      expect(localParts(new Date(t), "Africa/Monrovia")).toEqual(intl(new Date(t), "Africa/Monrovia"));
    }
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1960-01-01"), max: new Date("2040-12-31"), noInvalidDate: true }),
        fc.constantFrom(...zones),
        (instant, zone) => {
          const parts = intl(instant, zone);
          expect(localParts(instant, zone)).toEqual(parts);
          expect(localDay(instant, zone)).toBe(
            `${parts.year}-${String(parts.month).padStart(2, "0")}-${String(parts.day).padStart(2, "0")}`,
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("finds 09:00 local on either side of a DST change", () => {
    // New York springs forward on 2026-03-08 and falls back on 2026-11-01.
    expect(zonedInstant("2026-03-07", "America/New_York", 9).toISOString()).toBe("2026-03-07T14:00:00.000Z");
    expect(zonedInstant("2026-03-09", "America/New_York", 9).toISOString()).toBe("2026-03-09T13:00:00.000Z");
    expect(zonedInstant("2026-11-02", "America/New_York", 9).toISOString()).toBe("2026-11-02T14:00:00.000Z");
  });

  it("adds calendar days, keeping the local time across DST", () => {
    const before = zonedInstant("2026-03-05", "America/New_York", 10);
    expect(localDay(addLocalDays(before, 7, "America/New_York"), "America/New_York")).toBe("2026-03-12");
    expect(addLocalDays(before, 7, "America/New_York").toISOString()).toBe("2026-03-12T14:00:00.000Z");
  });

  it("round-trips any local day and hour in any of several zones", () => {
    const zones = ["Asia/Shanghai", "America/New_York", "Europe/London", "Australia/Sydney", "UTC"];
    fc.assert(
      fc.property(
        fc.date({ min: new Date("2020-01-01"), max: new Date("2035-12-31"), noInvalidDate: true }),
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 23 }),
        (date, zone, hour) => {
          const day = date.toISOString().slice(0, 10);
          const instant = zonedInstant(day, zone, hour);
          // A wall-clock hour skipped by DST maps to the hour after; every other hour is exact.
          expect(localDay(instant, zone)).toBe(day);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it("counts days between local days", () => {
    expect(daysBetween("2026-11-25", "2026-12-02")).toBe(7);
    expect(addDays("2026-12-30", 3)).toBe("2027-01-02");
  });

  it("reads dates and birthdays as people type them", () => {
    expect(parseDay("2026/12/1")).toBe("2026-12-01");
    expect(parseDay("2026年12月1日")).toBe("2026-12-01");
    expect(parseDay("2026-02-30")).toBeUndefined();
    expect(parseMonthDay("3月14日")).toBe("03-14");
    expect(parseMonthDay("02-29")).toBe("02-29");
    expect(parseMonthDay("13-01")).toBeUndefined();
  });
});

describe("revisit cadence", () => {
  const settings = readSettings({});
  const createdAt = new Date("2026-11-01T02:00:00Z");

  it("counts from the last touch: key weekly, prospect fortnightly, normal monthly", () => {
    const lastContactAt = new Date("2026-11-20T06:00:00Z");
    const due = (tier: "key" | "normal" | "prospect") =>
      localDay(
        nextRevisitDate({ tier, cadenceDays: null, lastContactAt, createdAt }, settings, "Asia/Shanghai"),
        "Asia/Shanghai",
      );
    expect(due("key")).toBe("2026-11-27");
    expect(due("prospect")).toBe("2026-12-04");
    expect(due("normal")).toBe("2026-12-20");
  });

  it("uses the customer's own cadence over the tier's, and the workspace's over the default", () => {
    const custom = readSettings({ cadence: { key: 3, normal: 30, prospect: 14 } });
    const base = { tier: "key" as const, lastContactAt: null, createdAt };
    expect(localDay(nextRevisitDate({ ...base, cadenceDays: 10 }, custom, "UTC"), "UTC")).toBe("2026-11-11");
    expect(localDay(nextRevisitDate({ ...base, cadenceDays: null }, custom, "UTC"), "UTC")).toBe("2026-11-04");
  });

  it("falls back to defaults for settings that are malformed, keeping the valid ones", () => {
    const s = readSettings({ nudgeHour: 30, digestHour: 8 });
    expect(s.nudgeHour).toBe(9);
    expect(s.digestHour).toBe(8);
  });
});
