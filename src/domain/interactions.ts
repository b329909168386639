// Interactions: every revisit is recorded, and each one restarts the customer's revisit clock.
import { randomUUID } from "node:crypto";
import type { Customer, Interaction, InteractionKind, Prisma as PrismaNS } from "../generated/prisma/client.ts";
import { assertAccess } from "./access.ts";
import { type AuditEntry, byActor } from "./audit.ts";
import { nextRevisitDate } from "./cadence.ts";
import type { Actor, DomainDeps } from "./deps.ts";
import { isUniqueViolation, UserError } from "./errors.ts";
import { customerColumns, utcNow } from "./sql.ts";
import { workspaceSettings } from "./workspaces.ts";

export const MAX_SUMMARY_LENGTH = 2_000;
/** How much of the latest summary the customer keeps for reminders (see Customer.lastSummary). */
export const LAST_SUMMARY_LENGTH = 200;

export interface NewInteraction {
  kind: InteractionKind;
  summary: string;
  occurredAt?: Date | undefined;
  /** Where the interaction came from and that source's id for it: the same pair logs once. */
  source: string;
  sourceRef: string;
  permalink?: string | undefined;
}

export interface LoggedInteraction {
  interaction: Interaction;
  customer: Customer;
  /** True when this delivery had been logged before and nothing new was written. */
  duplicate: boolean;
}

export async function logInteraction(
  deps: DomainDeps,
  actor: Actor,
  customer: Customer,
  input: NewInteraction,
): Promise<LoggedInteraction> {
  const summary = input.summary.trim();
  if (!summary) throw new UserError("log.summaryMissing", {}, "log");
  if (summary.length > MAX_SUMMARY_LENGTH) throw new UserError("log.summaryTooLong", { max: MAX_SUMMARY_LENGTH }, "log");
  await assertAccess(deps, actor, customer);
  const now = deps.clock.now();
  const occurredAt = input.occurredAt ?? now;
  if (occurredAt.getTime() > now.getTime() + 60_000) throw new UserError("log.future", {}, "log");

  const interaction: Interaction = {
    id: randomUUID(),
    workspaceId: actor.workspace.id,
    customerId: customer.id,
    authorId: actor.member.id,
    kind: input.kind,
    summary,
    occurredAt,
    source: input.source,
    sourceRef: input.sourceRef,
    permalink: input.permalink ?? null,
    createdAt: now,
  };
  const entry = byActor(actor, now, {
    action: "interaction.log",
    entity: "interaction",
    entityId: interaction.id,
    data: { customerId: customer.id, kind: input.kind, source: input.source },
  });
  try {
    // The customer as read a moment ago, unless it changed in between.
    const updated = await writeInteraction(deps.prisma, actor, customer, interaction, entry);
    if (updated) return { interaction, customer: updated, duplicate: false };
    // It did (another log, an edit): read it again holding its row, so that the write cannot miss
    // a second time however many race for it.
    const written = await deps.prisma.$transaction(async (tx) => {
      const [current] = await tx.$queryRaw<Customer[]>`
        select ${customerColumns} from "Customer" where "id" = ${customer.id}::uuid for update`;
      if (!current) throw new UserError("customer.notFound", { name: customer.name });
      return writeInteraction(tx, actor, current, interaction, entry);
    });
    if (written) return { interaction, customer: written, duplicate: false };
    throw new Error(`customer ${customer.id} changed while its row was held to log an interaction`);
  } catch (error) {
    // This delivery was logged before, or raced in on another request or replica: the first one won.
    if (!isUniqueViolation(error)) throw error;
    const raced = await findLogged(deps, actor.workspace.id, input);
    if (!raced) throw error;
    return { interaction: raced, customer, duplicate: true };
  }
}

/**
 * Writes the interaction, its audit entry and the customer's new revisit date in one statement
 * (one round trip, atomic without a transaction around it), or nothing if the customer is no
 * longer as `customer` says: the new date is worked out from its tier, cadence and last touch,
 * so the update applies only while those are unchanged. Returns the updated customer, or null.
 * A delivery logged before fails the interaction's unique key, and with it the whole statement.
 */
async function writeInteraction(
  db: Pick<PrismaNS.TransactionClient, "$queryRaw">,
  actor: Actor,
  customer: Customer,
  interaction: Interaction,
  entry: AuditEntry,
): Promise<Customer | null> {
  const { occurredAt } = interaction;
  // A back-dated entry older than the last touch does not move the clock back.
  const latest = !customer.lastContactAt || customer.lastContactAt <= occurredAt;
  const lastContactAt = latest ? occurredAt : (customer.lastContactAt as Date);
  const nextRevisitAt = nextRevisitDate(
    { ...customer, lastContactAt },
    workspaceSettings(actor.workspace),
    actor.workspace.timeZone,
  );
  const lastSummary = [...interaction.summary].slice(0, LAST_SUMMARY_LENGTH).join("");
  const rows = await db.$queryRaw<Customer[]>`
    with updated as (
      update "Customer" set
        "lastContactAt" = ${lastContactAt},
        "lastKind" = case when ${latest} then ${interaction.kind}::"InteractionKind" else "lastKind" end,
        "lastSummary" = case when ${latest} then ${lastSummary} else "lastSummary" end,
        "nextRevisitAt" = ${nextRevisitAt},
        "snoozedUntil" = null,
        "updatedAt" = ${utcNow}
      where "id" = ${customer.id}::uuid
        and "tier" = ${customer.tier}::"Tier"
        and "cadenceDays" is not distinct from ${customer.cadenceDays}::int
        and "lastContactAt" is not distinct from ${customer.lastContactAt}::timestamp
      returning ${customerColumns}
    ), logged as (
      insert into "Interaction" ("id", "workspaceId", "customerId", "authorId", "kind", "summary", "occurredAt",
                                 "source", "sourceRef", "permalink", "createdAt")
      select ${interaction.id}::uuid, ${interaction.workspaceId}::uuid, "id", ${interaction.authorId}::uuid,
             ${interaction.kind}::"InteractionKind", ${interaction.summary}, ${occurredAt}, ${interaction.source},
             ${interaction.sourceRef}, ${interaction.permalink}, ${interaction.createdAt}
      from updated
      returning "id"
    ), audited as (
      insert into "AuditEvent" ("id", "workspaceId", "actorId", "action", "entity", "entityId", "data", "createdAt")
      select gen_random_uuid(), ${entry.workspaceId}::uuid, ${entry.actorId}::uuid, ${entry.action}, ${entry.entity},
             "id"::text, ${JSON.stringify(entry.data ?? {})}::jsonb, ${entry.createdAt}
      from logged
    )
    select ${customerColumns} from updated`;
  return rows[0] ?? null;
}

function findLogged(deps: DomainDeps, workspaceId: string, input: NewInteraction) {
  return deps.prisma.interaction.findUnique({
    where: { workspaceId_source_sourceRef: { workspaceId, source: input.source, sourceRef: input.sourceRef } },
  });
}

export async function recentInteractions(deps: DomainDeps, customerId: string, take = 3) {
  return deps.prisma.interaction.findMany({
    where: { customerId },
    orderBy: { occurredAt: "desc" },
    take,
    include: { author: true },
  });
}
