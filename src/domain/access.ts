// Who may see and change which customer: a rep their own and their channel's, a manager also
// their reports', an admin everything.
import type { Customer, Prisma as PrismaNS } from "../generated/prisma/client.ts";
import type { Actor, DomainDeps } from "./deps.ts";
import { UserError } from "./errors.ts";
import { reportIds } from "./members.ts";

export async function visibleCustomers(deps: DomainDeps, actor: Actor): Promise<PrismaNS.CustomerWhereInput> {
  const workspaceId = actor.workspace.id;
  if (actor.member.role === "admin") return { workspaceId };
  const owners = [actor.member.id];
  if (actor.member.role === "manager") owners.push(...(await reportIds(deps, workspaceId, actor.member.id)));
  const or: PrismaNS.CustomerWhereInput[] = [{ ownerId: { in: owners } }];
  if (actor.channel) or.push({ linkedChannel: actor.channel });
  return { workspaceId, OR: or };
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
