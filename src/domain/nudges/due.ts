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

/**
 * An owner's row: the owner's place in the batch (from 1), overdue total and slipped total,
 * separated by spaces, then each customer the owner's reminders name, each after a record
 * separator (U+001E) and its fields after unit separators (U+001F): whether it is one of the
 * listed (1) or a slipped one beyond them (2), id, tier, when the revisit fell due and the last
 * touch (whole seconds since the epoch, or empty), the last touch's kind (or empty), whether it
 * slipped (t or f), the name, and the last touch's summary ("=" and the text, or empty for none).
 * The name and summary are escaped: a backslash and the two separators as \\, \r and \u.
 */
interface Row {
  due: string;
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

const RECORD = "\u001e";
const UNIT = "\u001f";

export async function findOverdueByOwner(deps: DomainDeps, workspaceId: string, q: DueQuery): Promise<OwnerDue[]> {
  if (q.ownerIds.length === 0) return [];
  // The owner's overdue customers (under the alias c; walked in due order along the index).
  const due = Prisma.sql`c."workspaceId" = ${workspaceId}::uuid and c."ownerId" = o."id" and c."nextRevisitAt" < ${q.dueBefore}
      and (c."snoozedUntil" is null or c."snoozedUntil" < ${q.snoozeBefore})`;
  const slipping = Prisma.sql`c."nextRevisitAt" < case c."tier"
    when 'key' then ${q.graceBefore.key}::timestamp when 'normal' then ${q.graceBefore.normal}::timestamp
    else ${q.graceBefore.prospect}::timestamp end`;
  // Before the earliest of the tiers' grace cut-offs, a customer has slipped whatever its tier.
  const slippedAnyTier = new Date(Math.min(...Object.values(q.graceBefore).map((d) => d.getTime())));
  const columns = Prisma.sql`c."id", c."tier", c."nextRevisitAt", c."lastContactAt", c."lastKind", c."name", c."lastSummary"`;
  // chr(92) is a backslash, chr(30) and chr(31) the separators (folded into constants by the planner).
  const escaped = (column: string) =>
    Prisma.raw(
      `replace(replace(replace(${column}, chr(92), chr(92) || chr(92)), chr(30), chr(92) || 'r'), chr(31), chr(92) || 'u')`,
    );
  // Per owner, walking the owner's overdue customers along the index on (workspace, owner, due,
  // id, tier, snooze), which also holds what the totals read, so that counting them reads the index
  // alone where the table is vacuumed: the totals; the listed; and the slipped beyond them that the
  // escalation still needs. Those are looked for unless the escalation's are surely among the
  // listed: the owner's most overdue, slipped whatever their tier (the usual case, as the most
  // overdue are long past any grace), and no more than are listed. Sorting and ranking each
  // batch's overdue customers whole cost PostgreSQL half as much again.
  // One text an owner (see Row): each row and each value cost Node more on its way through the
  // driver and Prisma than PostgreSQL pays to send it, and a row a customer made a scavenge of
  // Node's young objects each few batches. Times come as whole epoch seconds (timestamps' text
  // parsed into dates cost more than the query; a local day needs no fraction).
  const escalated = Prisma.sql`least(${q.perOwnerSlipping}::int, n."slipped")`;
  const rows = await deps.prisma.$queryRaw<Row[]>`
    select concat(o."n", ' ', n."total", ' ', n."slipped", l."items") as "due"
    from unnest(${q.ownerIds}::uuid[]) with ordinality as o("id", "n")
    cross join lateral (
      select count(*) as "total", count(*) filter (where ${slipping}) as "slipped",
             count(*) filter (where c."nextRevisitAt" < ${slippedAnyTier}) as "slippedAnyTier"
      from "Customer" c where ${due}
    ) n
    cross join lateral (
      select string_agg(concat_ws(chr(31), chr(30) || c."part", c."id", c."tier", floor(date_part('epoch', c."nextRevisitAt"))::bigint,
                                  coalesce(floor(date_part('epoch', c."lastContactAt"))::bigint::text, ''), coalesce(c."lastKind"::text, ''),
                                  c."slipping", ${escaped('c."name"')}, coalesce('=' || ${escaped('c."lastSummary"')}, '')),
                        '' order by c."part", c."nextRevisitAt", c."id") as "items"
      from (
        (select 1 as "part", ${columns}, ${slipping} as "slipping" from "Customer" c where ${due}
         order by c."nextRevisitAt", c."id" limit ${q.perOwner}::int)
        union all
        (select 2, ${columns}, c."slipping"
         from (select ${columns}, ${slipping} as "slipping",
                      row_number() over running as "rank", count(*) filter (where ${slipping}) over running as "slipRank"
               from "Customer" c where ${due}
               window running as (order by c."nextRevisitAt", c."id" rows between unbounded preceding and current row)) c
         where not (n."slippedAnyTier" >= ${escalated} and ${escalated} <= ${q.perOwner}::int)
           and c."slipping" and c."rank" > ${q.perOwner}::int and c."slipRank" <= ${q.perOwnerSlipping}::int)
      ) c
    ) l
    where n."total" > 0
    order by o."n"`;
  return byOwner(rows, q);
}

/**
 * Reads each owner's row. The escalation's customers are the first `perOwnerSlipping` slipped
 * among the listed and the slipped beyond them.
 */
function byOwner(rows: Row[], q: DueQuery): OwnerDue[] {
  const owners: OwnerDue[] = [];
  const fields = new Fields();
  for (const row of rows) {
    fields.read(row.due);
    const owner: OwnerDue = {
      ownerId: q.ownerIds[(fields.number(" ") as number) - 1] as string,
      total: fields.number(" ") as number,
      slipTotal: fields.number(RECORD) as number,
      listed: [],
      slipped: [],
    };
    while (!fields.done()) {
      const listed = fields.number(UNIT) === 1;
      const id = fields.text(UNIT);
      const tier = fields.word(UNIT) as Tier;
      const dueAt = fields.number(UNIT) as number;
      const lastAt = fields.number(UNIT);
      const lastKind = fields.word(UNIT);
      const slipped = fields.text(UNIT) === "t";
      const name = unescaped(fields.text(UNIT));
      const summary = fields.text(RECORD);
      const entry: DueItem = {
        id,
        name,
        tier,
        dueDay: localDayAt(dueAt * 1000, q.timeZone),
        lastDay: lastAt === null ? null : localDayAt(lastAt * 1000, q.timeZone),
        lastKind,
        lastSummary: summary === "" ? null : unescaped(summary.slice(1)),
      };
      if (listed) owner.listed.push(entry);
      if (slipped && owner.slipped.length < q.perOwnerSlipping) owner.slipped.push(entry);
    }
    owners.push(owner);
  }
  return owners;
}

function unescaped(text: string): string {
  if (!text.includes("\\")) return text;
  return text.replace(/\\(.)/gs, (_, c: string) => (c === "r" ? RECORD : c === "u" ? UNIT : c));
}

// The words rows repeat (tiers, kinds of touch), each kept once rather than once a row.
const words = new Map<string, string>();

/**
 * Reads a row field by field, each up to the separator given: splitting thousands of rows into
 * arrays of strings cost more than the rows took to arrive, most of it in collecting them.
 */
class Fields {
  #text = "";
  #at = 0;

  read(text: string): void {
    this.#text = text;
    this.#at = 0;
  }

  done(): boolean {
    return this.#at >= this.#text.length;
  }

  /** The next field ("" when empty). */
  text(separator: string): string {
    const end = this.#end(separator);
    const field = this.#text.slice(this.#at, end);
    this.#at = end + 1;
    return field;
  }

  /** The next field as one of a few words, the same string each time; null when empty. */
  word(separator: string): string | null {
    const field = this.text(separator);
    if (field === "") return null;
    let word = words.get(field);
    if (word === undefined) {
      word = field;
      words.set(word, word);
    }
    return word;
  }

  /** The next field as a whole number; null when empty. */
  number(separator: string): number | null {
    const end = this.#end(separator);
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

  /** Where the field ends: at the separator, or at the row's end. */
  #end(separator: string): number {
    const end = this.#text.indexOf(separator, this.#at);
    return end < 0 ? this.#text.length : end;
  }
}
