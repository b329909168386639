// Finds overdue revisits in the database for a batch of owners: per owner the most overdue first,
// each with its last interaction (kept on the customer), and which of them slipped past their
// tier's grace period. One query per batch of owners, so no per-customer queries and memory
// bounded by the batch.
import { Prisma, type Tier } from "../../generated/prisma/client.ts";
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
   * The rest, none of which can hold a space, as one text of space-separated fields: the owner's
   * place in the batch (from 1), the owner's overdue and slipped totals, whether the row is one of
   * the listed (1) or a slipped one beyond them (2), id, tier, when the revisit fell due and the
   * last touch (whole seconds since the epoch, or empty), the last touch's kind (or empty), and
   * whether it slipped (t or f).
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
  // The owner's overdue customers, in due order (the index's), under the alias given.
  const due = (c: string) => {
    const t = Prisma.raw(c);
    return Prisma.sql`${t}."workspaceId" = ${workspaceId}::uuid and ${t}."ownerId" = o."id" and ${t}."nextRevisitAt" < ${q.dueBefore}
      and (${t}."snoozedUntil" is null or ${t}."snoozedUntil" < ${q.snoozeBefore})`;
  };
  const slipping = Prisma.sql`c."nextRevisitAt" < case c."tier"
    when 'key' then ${q.graceBefore.key}::timestamp when 'normal' then ${q.graceBefore.normal}::timestamp
    else ${q.graceBefore.prospect}::timestamp end`;
  const fields = (c: string) => {
    const t = Prisma.raw(c);
    return Prisma.sql`${t}."name", ${t}."lastSummary",
      concat_ws(' ', o."n", n."total", n."slipped", ${t}."part", ${t}."id", ${t}."tier", floor(date_part('epoch', ${t}."nextRevisitAt"))::bigint,
                coalesce(floor(date_part('epoch', ${t}."lastContactAt"))::bigint::text, ''), coalesce(${t}."lastKind"::text, ''), ${t}."slipping") as "facts"`;
  };
  // Before the earliest of the tiers' grace cut-offs, every tier has slipped.
  const slippedWhatever = new Date(Math.min(...Object.values(q.graceBefore).map((d) => d.getTime())));
  // Per owner, walking the owner's due customers in the order of the index on (workspace, owner,
  // due, id), which also holds what the totals read (tier and snooze), so that counting them reads
  // the index alone where the table is vacuumed: the totals; the listed; and the slipped beyond
  // them that the escalation still needs, looked for only when the owner's most overdue are not
  // all slipped whatever their tier (rarely: the most overdue are long past any grace). Sorting
  // and ranking each batch's due customers whole cost PostgreSQL half as much again.
  // Each value read costs Node about 0.3 us through the driver and Prisma, more than PostgreSQL
  // pays to send it, so all but the free text comes as one text a row (see Row), and times come
  // as whole epoch seconds (timestamps' text parsed into dates cost more than the query; a local
  // day needs no fraction).
  const rows = await deps.prisma.$queryRaw<Row[]>`
    select l."name", l."lastSummary", l."facts"
    from unnest(${q.ownerIds}::uuid[]) with ordinality as o("id", "n")
    cross join lateral (
      select count(*) as "total", count(*) filter (where ${slipping}) as "slipped",
             count(*) filter (where c."nextRevisitAt" < ${slippedWhatever}) as "surelySlipped"
      from "Customer" c where ${due("c")}
    ) n
    cross join lateral (
      (select c."part", c."nextRevisitAt", c."id", ${fields("c")}
       from (select c.*, 1 as "part", ${slipping} as "slipping" from "Customer" c where ${due("c")}
             order by c."nextRevisitAt", c."id" limit ${q.perOwner}::int) c)
      union all
      (select c."part", c."nextRevisitAt", c."id", ${fields("c")}
       from (select c.*, 2 as "part", ${slipping} as "slipping",
                    row_number() over running as "rank", count(*) filter (where ${slipping}) over running as "slipRank"
             from "Customer" c where ${due("c")}
             window running as (order by c."nextRevisitAt", c."id" rows between unbounded preceding and current row)) c
       where n."surelySlipped" < ${q.perOwnerSlipping}::int and n."slipped" > n."surelySlipped"
         and c."slipping" and c."rank" > ${q.perOwner}::int and c."slipRank" <= ${q.perOwnerSlipping}::int)
    ) l
    where n."total" > 0
    order by o."n", l."part", l."nextRevisitAt", l."id"`;
  return byOwner(rows, q);
}

/**
 * Groups the rows, which come each owner's together (in the batch's order), the listed first and
 * most overdue first, by owner. The escalation's are the first `perOwnerSlipping` slipped among
 * the listed and the slipped beyond them.
 */
function byOwner(rows: Row[], q: DueQuery): OwnerDue[] {
  const owners: OwnerDue[] = [];
  let current: OwnerDue | undefined;
  let place = 0;
  const facts = new Facts();
  for (const row of rows) {
    facts.read(row.facts);
    const at = facts.number() as number;
    if (at !== place) {
      place = at;
      current = {
        ownerId: q.ownerIds[at - 1] as string,
        listed: [],
        slipped: [],
        total: facts.number() as number,
        slipTotal: facts.number() as number,
      };
      owners.push(current);
    } else {
      facts.skip(2);
    }
    const owner = current as OwnerDue;
    const listed = facts.number() === 1;
    const id = facts.text();
    const tier = facts.word();
    // Set on every row: the query asks only for revisits due before a day.
    const dueAt = facts.number() as number;
    const lastAt = facts.number();
    const lastKind = facts.word();
    const escalated = facts.text() === "t" && owner.slipped.length < q.perOwnerSlipping;
    if (!listed && !escalated) continue;
    const entry: DueItem = {
      id,
      name: row.name,
      tier: tier as Tier,
      dueDay: localDayAt(dueAt * 1000, q.timeZone),
      lastDay: lastAt === null ? null : localDayAt(lastAt * 1000, q.timeZone),
      lastKind,
      lastSummary: row.lastSummary,
    };
    if (listed) owner.listed.push(entry);
    if (escalated) owner.slipped.push(entry);
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

  /** Passes over the next `count` fields. */
  skip(count: number): void {
    for (let i = 0; i < count; i++) this.#at = this.#end() + 1;
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
