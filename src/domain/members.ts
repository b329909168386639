// Members of a workspace: learnt from the platform as they appear, with roles and reporting lines.
import { type Member, type Platform, Prisma, type Role, type Workspace } from "../generated/prisma/client.ts";
import { audit, byActor } from "./audit.ts";
import type { Actor, DomainDeps } from "./deps.ts";
import { UserError } from "./errors.ts";
import { columns } from "./sql.ts";

/** What a platform can tell about a user. */
export interface MemberProfile {
  externalId: string;
  displayName?: string | undefined;
  timeZone?: string | undefined;
  locale?: string | undefined;
  /** The platform says this user administers the workspace. */
  isAdmin?: boolean | undefined;
  /** The user's direct manager on the platform's org chart (Feishu leader_user_id). */
  managerExternalId?: string | undefined;
}

/** A platform's user directory: Slack users.info, Feishu contact API, or the terminal. */
export interface MemberDirectory {
  lookup(externalId: string): Promise<MemberProfile | null>;
}

/** A directory that knows nothing but the id: the CLI's, and a fallback when a platform is down. */
export const bareDirectory: MemberDirectory = {
  lookup: async (externalId) => ({ externalId, displayName: externalId }),
};

/** A workspace as stored and, if it has one by that id, the member; undefined when the workspace is new. */
export interface KnownActor {
  workspace: Workspace;
  member: Member | null;
}

const workspaceColumns = columns(Prisma.WorkspaceScalarFieldEnum, "w");

/**
 * Reads who acts in one statement, as every command does first: the workspace by its platform id
 * and the member by theirs (two look-ups through the ORM).
 */
export async function findActor(
  deps: DomainDeps,
  platform: Platform,
  workspaceExternalId: string,
  memberExternalId: string,
): Promise<KnownActor | undefined> {
  const rows = await deps.prisma.$queryRaw<(Workspace & { member: MemberJson | null })[]>`
    select ${workspaceColumns}, to_jsonb(m) as "member"
    from "Workspace" w
    left join "Member" m on m."workspaceId" = w."id" and m."externalId" = ${memberExternalId}
    where w."platform" = ${platform}::"Platform" and w."externalId" = ${workspaceExternalId}`;
  const row = rows[0];
  if (!row) return undefined;
  const { member, ...workspace } = row;
  return { workspace, member: member ? memberFromJson(member) : null };
}

// A member row as to_jsonb writes it: its timestamps (without time zone, in UTC) as text.
type MemberJson = Omit<Member, "createdAt" | "updatedAt"> & { createdAt: string; updatedAt: string };

function memberFromJson(json: MemberJson): Member {
  return { ...json, createdAt: new Date(`${json.createdAt}Z`), updatedAt: new Date(`${json.updatedAt}Z`) };
}

/**
 * Finds or creates a member, refreshing what the platform says about them. `known` is the member as
 * findActor read it (null: there is none yet), so that it is not looked up again.
 */
export async function ensureMember(
  deps: DomainDeps,
  workspace: Workspace,
  profile: MemberProfile,
  directory?: MemberDirectory,
  known?: Member | null,
): Promise<Member> {
  const { prisma } = deps;
  const existing =
    known !== undefined
      ? known
      : await prisma.member.findUnique({
          where: { workspaceId_externalId: { workspaceId: workspace.id, externalId: profile.externalId } },
        });
  const data = {
    ...(profile.displayName ? { displayName: profile.displayName } : {}),
    ...(profile.timeZone ? { timeZone: profile.timeZone } : {}),
    ...(profile.locale ? { locale: profile.locale } : {}),
  };
  let member: Member;
  if (existing) {
    const changes = changed(existing, { ...data, ...roleFrom(profile, existing) });
    // Every command passes here: a write only when the platform's profile says something new.
    member = changes ? await prisma.member.update({ where: { id: existing.id }, data: changes }) : existing;
  } else {
    // The first member of a workspace that names no admins (the terminal's) administers it.
    const firstAdmin =
      profile.isAdmin === undefined && (await prisma.member.count({ where: { workspaceId: workspace.id, role: "admin" } })) === 0;
    member = await prisma.member
      .create({
        data: {
          workspaceId: workspace.id,
          externalId: profile.externalId,
          displayName: profile.displayName ?? profile.externalId,
          ...data,
          role: profile.isAdmin || firstAdmin ? "admin" : "rep",
        },
      })
      .catch(async (error) => {
        // Two deliveries for a new member raced; the other one created it.
        const raced = await prisma.member.findUnique({
          where: { workspaceId_externalId: { workspaceId: workspace.id, externalId: profile.externalId } },
        });
        if (!raced) throw error;
        return raced;
      });
  }
  if (profile.managerExternalId !== undefined && !member.managerManual) {
    member = await syncManager(deps, workspace, member, profile.managerExternalId, directory);
  }
  return member;
}

/** The fields of `data` whose values differ from the member's, or null when none do. */
function changed(existing: Member, data: Partial<Pick<Member, "displayName" | "timeZone" | "locale" | "role">>) {
  const changes = Object.fromEntries(Object.entries(data).filter(([key, value]) => existing[key as keyof typeof data] !== value));
  return Object.keys(changes).length > 0 ? (changes as typeof data) : null;
}

function roleFrom(profile: MemberProfile, existing: Member): { role?: Role } {
  if (existing.roleManual || profile.isAdmin === undefined) return {};
  if (profile.isAdmin) return { role: "admin" };
  return existing.role === "admin" ? { role: "rep" } : {};
}

async function syncManager(
  deps: DomainDeps,
  workspace: Workspace,
  member: Member,
  managerExternalId: string,
  directory?: MemberDirectory,
): Promise<Member> {
  if (!managerExternalId) {
    if (!member.managerId) return member;
    return deps.prisma.member.update({ where: { id: member.id }, data: { managerId: null } });
  }
  const profile = (await directory?.lookup(managerExternalId)) ?? { externalId: managerExternalId };
  // The manager's own manager is not followed here: one level per delivery keeps look-ups bounded.
  const manager = await ensureMember(deps, workspace, { ...profile, managerExternalId: undefined });
  if (manager.role === "rep" && !manager.roleManual) {
    await deps.prisma.member.update({ where: { id: manager.id }, data: { role: "manager" } });
  }
  if (member.managerId === manager.id) return member;
  return deps.prisma.member.update({ where: { id: member.id }, data: { managerId: manager.id } });
}

/** A reference to a member as typed: a platform mention (<@U123>) or a name (@alice). */
export type MemberRef = { id: string } | { name: string };

export async function resolveMember(
  deps: DomainDeps,
  workspace: Workspace,
  ref: MemberRef,
  directory: MemberDirectory,
): Promise<Member> {
  if ("id" in ref) {
    const profile = (await directory.lookup(ref.id)) ?? { externalId: ref.id };
    return ensureMember(deps, workspace, profile, directory);
  }
  const name = ref.name.trim();
  const found = await deps.prisma.member.findMany({
    where: {
      workspaceId: workspace.id,
      OR: [{ externalId: { equals: name, mode: "insensitive" } }, { displayName: { equals: name, mode: "insensitive" } }],
    },
    take: 2,
  });
  if (found.length === 1 && found[0]) return found[0];
  if (found.length > 1) throw new UserError("member.ambiguous", { name });
  // On the terminal a name is the member's id: the first mention creates them.
  if (workspace.platform === "cli") return ensureMember(deps, workspace, { externalId: name, displayName: name });
  throw new UserError("member.notFound", { name });
}

/** Ids of everyone who reports to `managerId`, directly or through other managers. */
export async function reportIds(deps: DomainDeps, workspaceId: string, managerId: string): Promise<string[]> {
  const members = await deps.prisma.member.findMany({
    where: { workspaceId, managerId: { not: null } },
    select: { id: true, managerId: true },
  });
  const byManager = new Map<string, string[]>();
  for (const m of members) {
    const list = byManager.get(m.managerId as string) ?? [];
    list.push(m.id);
    byManager.set(m.managerId as string, list);
  }
  const out = new Set<string>();
  const queue = [managerId];
  while (queue.length > 0) {
    const next = queue.pop() as string;
    for (const id of byManager.get(next) ?? []) {
      if (out.has(id) || id === managerId) continue;
      out.add(id);
      queue.push(id);
    }
  }
  return [...out];
}

export interface TeamChange {
  manager?: Member | null;
  role?: Role;
}

/** Sets a member's manager or role; only admins may, and no one may manage themselves. */
export async function changeTeam(deps: DomainDeps, actor: Actor, target: Member, change: TeamChange): Promise<Member> {
  if (actor.member.role !== "admin") throw new UserError("team.adminOnly");
  const manager = change.manager;
  if (manager && manager.id === target.id) throw new UserError("team.selfManager");
  if (manager && (await reportIds(deps, actor.workspace.id, target.id)).includes(manager.id)) {
    throw new UserError("team.cycle", { member: target.displayName, manager: manager.displayName });
  }
  return deps.prisma.$transaction(async (tx) => {
    if (manager && manager.role === "rep" && change.role === undefined) {
      await tx.member.update({ where: { id: manager.id }, data: { role: "manager" } });
    }
    const updated = await tx.member.update({
      where: { id: target.id },
      data: {
        ...(manager !== undefined ? { managerId: manager?.id ?? null, managerManual: true } : {}),
        ...(change.role ? { role: change.role, roleManual: true } : {}),
      },
    });
    await audit(
      tx,
      byActor(actor, deps.clock.now(), {
        action: "member.team",
        entity: "member",
        entityId: target.id,
        data: { managerId: manager === undefined ? "unchanged" : (manager?.id ?? null), role: change.role ?? "unchanged" },
      }),
    );
    return updated;
  });
}

export async function listTeam(deps: DomainDeps, workspaceId: string) {
  return deps.prisma.member.findMany({
    where: { workspaceId, active: true },
    include: { manager: true },
    orderBy: [{ role: "desc" }, { displayName: "asc" }],
  });
}
