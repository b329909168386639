// Records who did what to which record, inside the transaction that did it.
import type { Prisma as PrismaNS } from "../generated/prisma/client.ts";

type Tx = Pick<PrismaNS.TransactionClient, "auditEvent">;

export interface AuditEntry {
  workspaceId: string;
  actorId: string | null;
  action: string;
  entity: string;
  entityId: string;
  data?: PrismaNS.InputJsonValue;
  /** When it happened, by the injected clock; the digest reads stage and funnel history from it. */
  createdAt: Date;
}

export async function audit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({ data: { ...entry, data: entry.data ?? {} } });
}

/** An audit entry for something an actor did in their workspace, at `at` by the injected clock. */
export function byActor(
  actor: { workspace: { id: string }; member: { id: string } },
  at: Date,
  entry: Pick<AuditEntry, "action" | "entity" | "entityId" | "data">,
): AuditEntry {
  return { ...entry, createdAt: at, workspaceId: actor.workspace.id, actorId: actor.member.id };
}
