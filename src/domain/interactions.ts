// Interactions: every revisit is recorded, and each one restarts the customer's revisit clock.
import type { Customer, Interaction, InteractionKind } from "../generated/prisma/client.ts";
import { assertAccess } from "./access.ts";
import { audit } from "./audit.ts";
import { nextRevisitDate } from "./cadence.ts";
import type { Actor, DomainDeps } from "./deps.ts";
import { isUniqueViolation, UserError } from "./errors.ts";
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

  const previous = await findLogged(deps, actor.workspace.id, input);
  if (previous) return { interaction: previous, customer, duplicate: true };
  const settings = workspaceSettings(actor.workspace);
  try {
    return await deps.prisma.$transaction(async (tx) => {
      const interaction = await tx.interaction.create({
        data: {
          workspaceId: actor.workspace.id,
          customerId: customer.id,
          authorId: actor.member.id,
          kind: input.kind,
          summary,
          occurredAt,
          source: input.source,
          sourceRef: input.sourceRef,
          permalink: input.permalink ?? null,
        },
      });
      // A back-dated entry older than the last touch does not move the clock back.
      const current = await tx.customer.findUniqueOrThrow({ where: { id: customer.id } });
      const latest = !current.lastContactAt || current.lastContactAt <= occurredAt;
      const lastContactAt = latest ? occurredAt : (current.lastContactAt as Date);
      const updated = await tx.customer.update({
        where: { id: customer.id },
        data: {
          lastContactAt,
          ...(latest ? { lastKind: input.kind, lastSummary: [...summary].slice(0, LAST_SUMMARY_LENGTH).join("") } : {}),
          nextRevisitAt: nextRevisitDate({ ...current, lastContactAt }, settings, actor.workspace.timeZone),
          snoozedUntil: null,
        },
      });
      await audit(tx, {
        createdAt: now,
        workspaceId: actor.workspace.id,
        actorId: actor.member.id,
        action: "interaction.log",
        entity: "interaction",
        entityId: interaction.id,
        data: { customerId: customer.id, kind: input.kind, source: input.source },
      });
      return { interaction, customer: updated, duplicate: false };
    });
  } catch (error) {
    // The same delivery raced in on another request or replica: the first one won.
    if (!isUniqueViolation(error)) throw error;
    const raced = await findLogged(deps, actor.workspace.id, input);
    if (!raced) throw error;
    return { interaction: raced, customer, duplicate: true };
  }
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
