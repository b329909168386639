// The weeks a digest compares (Monday 00:00 to Monday 00:00 in the workspace's time zone) and the
// SQL pieces every digest query shares: the two weeks as a VALUES list, and the team filter.
import { Prisma } from "../../generated/prisma/client.ts";
import { addDays, localDay, localParts, zonedInstant } from "../time.ts";

export interface DigestWeek {
  /** First local day, and the Monday after the last one (exclusive). */
  fromDay: string;
  toDay: string;
  from: Date;
  to: Date;
}

export interface DigestPeriod {
  /** The Monday the digest is for: the end of the reported week; the key of its nudges. */
  monday: string;
  timeZone: string;
  current: DigestWeek;
  previous: DigestWeek;
}

/** Whose figures: a manager's team (the manager and everyone reporting to them), or everyone. */
export type DigestScope = { kind: "team"; managerId: string; memberIds: string[] } | { kind: "workspace" };

/** The Monday that starts the local week `instant` falls in. */
export function mondayOf(instant: Date, timeZone: string): string {
  const weekday = localParts(instant, timeZone).weekday;
  return addDays(localDay(instant, timeZone), -((weekday + 6) % 7));
}

/** The last whole week before the week of `instant`, and the week before that. */
export function digestPeriod(instant: Date, timeZone: string): DigestPeriod {
  return periodEndingOn(mondayOf(instant, timeZone), timeZone);
}

export function periodEndingOn(monday: string, timeZone: string): DigestPeriod {
  const week = (fromDay: string): DigestWeek => {
    const toDay = addDays(fromDay, 7);
    return { fromDay, toDay, from: zonedInstant(fromDay, timeZone), to: zonedInstant(toDay, timeZone) };
  };
  return { monday, timeZone, current: week(addDays(monday, -7)), previous: week(addDays(monday, -14)) };
}

/** A UTC instant as a literal for the timestamp columns, whatever the driver does with a Date. */
export function ts(instant: Date): string {
  return instant.toISOString().replace("T", " ").replace("Z", "");
}

/** The two weeks as rows (week 0 the previous, 1 the current) with UTC bounds, for `join ... on`. */
export function weeksUtc(period: DigestPeriod): Prisma.Sql {
  const { previous: p, current: c } = period;
  return Prisma.sql`(values (0, ${ts(p.from)}::timestamp, ${ts(p.to)}::timestamp), (1, ${ts(c.from)}::timestamp, ${ts(c.to)}::timestamp)) as w("week", "from", "to")`;
}

/** The two weeks with local wall-clock bounds, for comparing times converted to the workspace's zone. */
export function weeksLocal(period: DigestPeriod): Prisma.Sql {
  const { previous: p, current: c } = period;
  return Prisma.sql`(values (0, ${`${p.fromDay} 00:00`}::timestamp, ${`${p.toDay} 00:00`}::timestamp), (1, ${`${c.fromDay} 00:00`}::timestamp, ${`${c.toDay} 00:00`}::timestamp)) as w("week", "from", "to")`;
}

/** `column` (a timestamp) falls in the week `w` of the joined weeks. */
export function inWeek(column: string): Prisma.Sql {
  const c = Prisma.raw(column);
  return Prisma.sql`${c} >= w."from" and ${c} < w."to"`;
}

/** `column` (an owner id) belongs to the scope. */
export function inScope(scope: DigestScope, column: Prisma.Sql): Prisma.Sql {
  if (scope.kind === "workspace") return Prisma.sql`true`;
  return Prisma.sql`${column} in (${Prisma.join(scope.memberIds.map((id) => Prisma.sql`${id}::uuid`))})`;
}

/** A count as the driver returns it (bigint on PostgreSQL, number on PGlite) as a number. */
export function num(value: bigint | number | string | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** Rows of two weeks, indexed [previous, current], with `empty` where a week had no rows. */
export function byWeek<T extends { week: number | bigint }, R>(rows: T[], read: (row: T | undefined) => R): [R, R] {
  const find = (week: number) => rows.find((r) => Number(r.week) === week);
  return [read(find(0)), read(find(1))];
}
