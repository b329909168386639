// Finds overdue revisits in the database for a batch of owners: per owner the most overdue first,
// each with its last interaction (kept on the customer), and which of them slipped past their
// tier's grace period. One query per batch of owners, so no per-customer queries and memory
// bounded by the batch.
import type { Tier } from "../../generated/prisma/client.ts";
import type { DomainDeps } from "../deps.ts";
import { localDayAt } from "../time.ts";

/** An overdue customer as a reminder lists it, with its days in the workspace's zone. */
export interface DueItem {
  id: string;
  name: string;
  tier: Tier;
  dueDay: string;
  lastDay: string | null;
  lastKind: string | null;
  lastSummary: string | null;
}

/** An owner's overdue customers, most overdue first: how many in all, and of those slipped past their grace period. */
export interface OwnerDue {
  ownerId: string;
  /** The owner's `perOwner` most overdue (for the rep's own DM). */
  listed: DueItem[];
  /** The owner's `perOwnerSlipping` most overdue of the slipped (for the escalation); the same objects as in `listed` where both. */
  slipped: DueItem[];
  total: number;
  slipTotal: number;
}

interface Row {
  name: string;
  lastSummary: string | null;
  /**
   * The rest, none of which can hold a space, as one text of space-separated fields: the owner (on
   * the owner's first row only, else empty), id, tier, when the revisit fell due and the last touch
   * (whole seconds since the epoch, or empty), the last touch's kind (or empty), whether the
   * escalation lists it (t or f), and the totals (on the owner's last row only, else absent).
   */
  facts: string;
}

export interface DueQuery {
  ownerIds: string[];
  dueBefore: Date;
  snoozeBefore: Date;
  perOwner: number;
  perOwnerSlipping: number;
  /** A customer of each tier slipped when its revisit was due before this instant. */
  graceBefore: Record<Tier, Date>;
  /** The zone whose calendar days the items give. */
  timeZone: string;
}

export async function findOverdueByOwner(deps: DomainDeps, workspaceId: string, q: DueQuery): Promise<OwnerDue[]> {
  if (q.ownerIds.length === 0) return [];
  // One pass over the batch's due customers, sorted once: a running row number lists each owner's
  // most overdue and a running count of the slipping ones picks the escalation's. The owner's last
  // row comes too, listed or not, since its running counts are the totals (cheaper than a second
  // window over each owner).
  // Each value read costs Node about 0.3 us through the driver and Prisma, more than PostgreSQL
  // pays to send it, so all but the free text comes as one text a row (see Row), the owner named
  // on its first row and the totals given on its last only, and times come as whole epoch seconds
  // (timestamps' text parsed into dates cost more than the query; a local day needs no fraction).
  const rows = await deps.prisma.$queryRaw<Row[]>`
    with due as (
      select c."id", c."name", c."tier", c."ownerId", c."nextRevisitAt", c."lastContactAt",
             c."lastKind"::text as "lastKind", c."lastSummary",
             c."nextRevisitAt" < case c."tier"
               when 'key' then ${q.graceBefore.key}::timestamp
               when 'normal' then ${q.graceBefore.normal}::timestamp
               else ${q.graceBefore.prospect}::timestamp end as slipping
      from "Customer" c
      where c."workspaceId" = ${workspaceId}::uuid
        and c."ownerId" = any(${q.ownerIds}::uuid[])
        and c."nextRevisitAt" < ${q.dueBefore}
        and (c."snoozedUntil" is null or c."snoozedUntil" < ${q.snoozeBefore})
    ), ranked as (
      select due.*,
             row_number() over running as "dueRank",
             count(*) filter (where slipping) over running as "slipRank",
             lead(true) over running is null as "last"
      from due
      window running as (partition by "ownerId" order by "nextRevisitAt", "id" rows between unbounded preceding and current row)
    )
    select r."name", r."lastSummary",
           concat_ws(' ', case when r."dueRank" = 1 then r."ownerId"::text else '' end, r."id", r."tier",
                     floor(date_part('epoch', r."nextRevisitAt"))::bigint,
                     coalesce(floor(date_part('epoch', r."lastContactAt"))::bigint::text, ''), coalesce(r."lastKind", ''),
                     r.slipping and r."slipRank" <= ${q.perOwnerSlipping},
                     case when r."last" then r."dueRank" end, case when r."last" then r."slipRank" end) as "facts"
    from ranked r
    where r."dueRank" <= ${q.perOwner} or (r.slipping and r."slipRank" <= ${q.perOwnerSlipping}) or r."last"
    order by r."ownerId", r."nextRevisitAt", r."id"`;
  return byOwner(rows, q);
}

/**
 * Groups the rows, which come each owner's together and most overdue first, by owner. Every
 * customer ranked within `perOwner` comes, so an owner's first `perOwner` rows are the listed.
 */
function byOwner(rows: Row[], q: DueQuery): OwnerDue[] {
  const owners: OwnerDue[] = [];
  let current: OwnerDue | undefined;
  let rank = 0;
  const facts = new Facts();
  for (const row of rows) {
    facts.read(row.facts);
    const ownerId = facts.text();
    if (ownerId) {
      current = { ownerId, listed: [], slipped: [], total: 0, slipTotal: 0 };
      owners.push(current);
      rank = 0;
    }
    if (!current) continue;
    rank += 1;
    const id = facts.text();
    const tier = facts.word();
    // Set on every row: the query asks only for revisits due before a day.
    const dueAt = facts.number() as number;
    const lastAt = facts.number();
    const lastKind = facts.word();
    const escalated = facts.text() === "t";
    const listed = rank <= q.perOwner;
    if (listed || escalated) {
      const entry: DueItem = {
        id,
        name: row.name,
        tier: tier as Tier,
        dueDay: localDayAt(dueAt * 1000, q.timeZone),
        lastDay: lastAt === null ? null : localDayAt(lastAt * 1000, q.timeZone),
        lastKind,
        lastSummary: row.lastSummary,
      };
      if (listed) current.listed.push(entry);
      if (escalated) current.slipped.push(entry);
    }
    const total = facts.number();
    if (total !== null) current.total = total;
    const slipTotal = facts.number();
    if (slipTotal !== null) current.slipTotal = slipTotal;
  }
  return owners;
}

// The words rows repeat (tiers, kinds of touch), each kept once rather than once a row.
const words = new Map<string, string>();

/**
 * Reads a row's space-separated facts field by field: splitting twenty thousand rows into arrays
 * of strings cost more than the query's rows took to arrive, most of it in collecting them.
 */
class Facts {
  #text = "";
  #at = 0;

  read(text: string): void {
    this.#text = text;
    this.#at = 0;
  }

  /** The next field ("" when empty or absent). */
  text(): string {
    const end = this.#end();
    const field = this.#text.slice(this.#at, end);
    this.#at = end + 1;
    return field;
  }

  /** The next field as one of a few words, the same string each time; null when empty. */
  word(): string | null {
    const field = this.text();
    if (field === "") return null;
    let word = words.get(field);
    if (word === undefined) {
      word = field;
      words.set(word, word);
    }
    return word;
  }

  /** The next field as a whole number; null when empty or absent. */
  number(): number | null {
    const end = this.#end();
    const text = this.#text;
    let at = this.#at;
    this.#at = end + 1;
    if (at >= end) return null;
    const negative = text.charCodeAt(at) === 45;
    if (negative) at += 1;
    let value = 0;
    for (; at < end; at++) value = value * 10 + (text.charCodeAt(at) - 48);
    return negative ? -value : value;
  }

  #end(): number {
    const space = this.#text.indexOf(" ", this.#at);
    return space < 0 ? this.#text.length : space;
  }
}
