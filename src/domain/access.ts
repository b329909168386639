// Who may see and change which customer: a rep their own and their channel's, a manager also
// their reports', an admin everything.
import { type Customer, Prisma } from "../generated/prisma/client.ts";
import type { Actor, DomainDeps } from "./deps.ts";
import { UserError } from "./errors.ts";
import { reportIds } from "./members.ts";

/** The customers an actor may see, within their workspace: all of them, or those owned by `owners` or linked to `channel`. */
type Visibility =
  | { workspaceId: string; all: true }
  | { workspaceId: string; all: false; owners: string[]; channel?: string | undefined };

async function visibility(deps: DomainDeps, actor: Actor): Promise<Visibility> {
  const workspaceId = actor.workspace.id;
  if (actor.member.role === "admin") return { workspaceId, all: true };
  const owners = [actor.member.id];
  if (actor.member.role === "manager") owners.push(...(await reportIds(deps, workspaceId, actor.member.id)));
  return { workspaceId, all: false, owners, channel: actor.channel };
}

export async function visibleCustomers(deps: DomainDeps, actor: Actor): Promise<Prisma.CustomerWhereInput> {
  const seen = await visibility(deps, actor);
  if (seen.all) return { workspaceId: seen.workspaceId };
  const or: Prisma.CustomerWhereInput[] = [{ ownerId: { in: seen.owners } }];
  if (seen.channel) or.push({ linkedChannel: seen.channel });
  return { workspaceId: seen.workspaceId, OR: or };
}

/**
 * The same rule as a condition on "Customer" for a hand-written statement: the owners as one array
 * parameter, so that a prepared statement serves a team of any size.
 */
export async function visibleCustomersSql(deps: DomainDeps, actor: Actor): Promise<Prisma.Sql> {
  const seen = await visibility(deps, actor);
  const inWorkspace = Prisma.sql`"workspaceId" = ${seen.workspaceId}::uuid`;
  if (seen.all) return inWorkspace;
  const channel = seen.channel ? Prisma.sql` or "linkedChannel" = ${seen.channel}` : Prisma.empty;
  return Prisma.sql`${inWorkspace} and ("ownerId" = any(${seen.owners}::uuid[])${channel})`;
}

export async function canAccess(
  deps: DomainDeps,
  actor: Actor,
  customer: Pick<Customer, "workspaceId" | "ownerId" | "linkedChannel">,
): Promise<boolean> {
  if (customer.workspaceId !== actor.workspace.id) return false;
  if (actor.member.role === "admin") return true;
  if (customer.ownerId === actor.member.id) return true;
  if (actor.channel && customer.linkedChannel === actor.channel) return true;
  if (actor.member.role !== "manager" || !customer.ownerId) return false;
  return (await reportIds(deps, actor.workspace.id, actor.member.id)).includes(customer.ownerId);
}

export async function assertAccess(
  deps: DomainDeps,
  actor: Actor,
  customer: Pick<Customer, "workspaceId" | "ownerId" | "linkedChannel" | "name">,
): Promise<void> {
  if (!(await canAccess(deps, actor, customer))) throw new UserError("customer.forbidden", { name: customer.name });
}
