// Customers: adding, finding by name, prefix or pinyin initials, editing, and the lifecycle.
import type { Customer, Member, Prisma as PrismaNS, Stage, Tier } from "../generated/prisma/client.ts";
import { assertAccess, visibleCustomers, visibleCustomersSql } from "./access.ts";
import { audit, byActor } from "./audit.ts";
import { nextRevisitDate } from "./cadence.ts";
import type { Actor, DomainDeps } from "./deps.ts";
import { isRecordNotFound, isUniqueViolation, UserError } from "./errors.ts";
import { nameInitials, normalizeName } from "./names.ts";
import { customerColumns } from "./sql.ts";
import { workspaceSettings } from "./workspaces.ts";

export type CustomerWithOwner = Customer & { owner: Member | null };

export interface CustomerFields {
  tier?: Tier | undefined;
  stage?: Stage | undefined;
  ownerId?: string | undefined;
  region?: string | null | undefined;
  tags?: string[] | undefined;
  birthday?: string | null | undefined;
  cadenceDays?: number | null | undefined;
  linkedChannel?: string | null | undefined;
  /** A rename sets all three. */
  name?: string | undefined;
  normalizedName?: string | undefined;
  initials?: string | undefined;
}

export const MAX_NAME_LENGTH = 100;

/**
 * The row for a new customer: owned by the actor unless told otherwise, a prospect-tier customer
 * starting as prospective, and the first revisit due one cadence after it was added.
 */
export function newCustomerData(
  actor: Actor,
  name: string,
  fields: CustomerFields,
  now: Date,
): PrismaNS.CustomerUncheckedCreateInput {
  const tier = fields.tier ?? "normal";
  const cadenceDays = fields.cadenceDays ?? null;
  return {
    workspaceId: actor.workspace.id,
    name,
    normalizedName: normalizeName(name),
    initials: nameInitials(name),
    tier,
    stage: fields.stage ?? (tier === "prospect" ? "prospective" : "potential"),
    ownerId: fields.ownerId ?? actor.member.id,
    region: fields.region ?? null,
    tags: fields.tags ?? [],
    birthday: fields.birthday ?? null,
    cadenceDays,
    linkedChannel: fields.linkedChannel ?? null,
    createdAt: now,
    nextRevisitAt: nextRevisitDate(
      { tier, cadenceDays, lastContactAt: null, createdAt: now },
      workspaceSettings(actor.workspace),
      actor.workspace.timeZone,
    ),
  };
}

export async function addCustomer(
  deps: DomainDeps,
  actor: Actor,
  name: string,
  fields: CustomerFields,
): Promise<CustomerWithOwner> {
  const clean = name.replace(/\s+/g, " ").trim();
  if (!clean) throw new UserError("customer.nameMissing", {}, "add");
  if (clean.length > MAX_NAME_LENGTH) throw new UserError("customer.nameTooLong", { max: MAX_NAME_LENGTH }, "add");
  if (clean.startsWith("#")) throw new UserError("customer.nameHash", {}, "add");
  const now = deps.clock.now();
  try {
    return await deps.prisma.$transaction(async (tx) => {
      const customer = await tx.customer.create({
        data: newCustomerData(actor, clean, fields, now),
        include: { owner: true },
      });
      await audit(
        tx,
        byActor(actor, now, {
          action: "customer.add",
          entity: "customer",
          entityId: customer.id,
          data: { name: clean, tier: customer.tier, stage: customer.stage, ownerId: customer.ownerId },
        }),
      );
      return customer;
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const existing = await deps.prisma.customer.findFirst({
      where: { workspaceId: actor.workspace.id, normalizedName: normalizeName(clean) },
    });
    throw new UserError("customer.exists", { name: existing?.name ?? clean });
  }
}

export type MatchKind = "id" | "exact" | "prefix" | "initials";

export interface CustomerMatch<C extends Customer = CustomerWithOwner> {
  customer: C;
  match: MatchKind;
}

const MAX_CANDIDATES = 8;

/**
 * Finds the one customer a user means by `ref`: `#<id>`, the exact name, a unique prefix, or
 * pinyin initials. Ambiguity lists the candidates; a customer the actor may not see is refused.
 */
export async function findCustomer(deps: DomainDeps, actor: Actor, ref: string): Promise<CustomerMatch> {
  const { customer, match } = await findCustomerWithoutOwner(deps, actor, ref);
  return { customer: await withOwner(deps, customer), match };
}

/**
 * As findCustomer, for the verbs that need no owner. The search never asks for owners (Prisma
 * sends an `include`'s query even for a search that finds nothing): findCustomer fetches the
 * match's alone.
 */
export async function findCustomerWithoutOwner(deps: DomainDeps, actor: Actor, ref: string): Promise<CustomerMatch<Customer>> {
  const text = ref.trim();
  if (!text) throw new UserError("customer.refMissing");
  if (text.startsWith("#")) return findById(deps, actor, text);
  const [exact] = await exactNamesAmongVisible(deps, actor, [normalizeName(text)]);
  return exact ? { customer: exact, match: "exact" } : findPastExactName(deps, actor, text);
}

/**
 * For verbs where free text follows the name (`log Acme Corp visited`): the longest run of
 * leading words that is exactly a customer's name, else the first word as a prefix or initials.
 * These verbs need no owner, so the customer comes without one.
 */
export async function findLeadingCustomer(
  deps: DomainDeps,
  actor: Actor,
  words: string[],
): Promise<{ customer: Customer; match: MatchKind; used: number }> {
  const first = words[0]?.trim();
  if (!first) throw new UserError("customer.refMissing");
  if (first.startsWith("#")) return { ...(await findById(deps, actor, first)), used: 1 };
  const candidates = words.slice(0, Math.min(words.length, 6)).map((_, i) => normalizeName(words.slice(0, i + 1).join(" ")));
  const exact = await exactNamesAmongVisible(deps, actor, candidates);
  const longest = exact.sort((a, b) => b.normalizedName.length - a.normalizedName.length)[0];
  if (longest) return { customer: longest, match: "exact", used: candidates.indexOf(longest.normalizedName) + 1 };
  return { ...(await findPastExactName(deps, actor, first)), used: 1 };
}

async function findById(deps: DomainDeps, actor: Actor, text: string): Promise<CustomerMatch<Customer>> {
  const customer = await deps.prisma.customer
    .findFirst({ where: { id: text.slice(1), workspaceId: actor.workspace.id } })
    .catch(() => null);
  if (!customer) throw new UserError("customer.notFound", { name: text });
  await assertAccess(deps, actor, customer);
  return { customer, match: "id" };
}

/**
 * The customers the actor may see named exactly one of `names` (normalized). Every lookup by name
 * starts here, and every typed log (as do snooze, link, deal, lost and feedback): written by hand,
 * since Prisma's model query was the largest part of a log's CPU (README, *Where the time goes*).
 */
async function exactNamesAmongVisible(deps: DomainDeps, actor: Actor, names: string[]): Promise<Customer[]> {
  return deps.prisma.$queryRaw<Customer[]>`
    select ${customerColumns} from "Customer"
    where ${await visibleCustomersSql(deps, actor)} and "normalizedName" = any(${names}::text[])`;
}

/** When no visible customer has the exact name: a prefix or initials among them; else why not. */
async function findPastExactName(deps: DomainDeps, actor: Actor, text: string): Promise<CustomerMatch<Customer>> {
  const normalized = normalizeName(text);
  const found = await prefixOrInitialsIn(deps, await visibleCustomers(deps, actor), normalized);
  if (found) return found;
  // Distinguish "no such customer" from "not yours" so the user knows whom to ask.
  const hidden = await matchIn(deps, { workspaceId: actor.workspace.id }, normalized).catch(() => null);
  if (hidden) throw new UserError("customer.forbidden", { name: hidden.customer.name });
  throw new UserError("customer.notFound", { name: text });
}

async function withOwner(deps: DomainDeps, customer: Customer): Promise<CustomerWithOwner> {
  const owner = customer.ownerId ? await deps.prisma.member.findUnique({ where: { id: customer.ownerId } }) : null;
  return { ...customer, owner };
}

async function matchIn(
  deps: DomainDeps,
  scope: PrismaNS.CustomerWhereInput,
  normalized: string,
): Promise<CustomerMatch<Customer> | null> {
  const exact = await deps.prisma.customer.findFirst({ where: { AND: [scope, { normalizedName: normalized }] } });
  if (exact) return { customer: exact, match: "exact" };
  return prefixOrInitialsIn(deps, scope, normalized);
}

async function prefixOrInitialsIn(
  deps: DomainDeps,
  scope: PrismaNS.CustomerWhereInput,
  normalized: string,
): Promise<CustomerMatch<Customer> | null> {
  const byPrefix = await deps.prisma.customer.findMany({
    where: { AND: [scope, { normalizedName: { startsWith: normalized } }] },
    orderBy: { normalizedName: "asc" },
    take: MAX_CANDIDATES + 1,
  });
  const one = pickOne(byPrefix, normalized);
  if (one) return { customer: one, match: "prefix" };
  if (!/^[a-z0-9]+$/.test(normalized)) return null;
  const byInitials = await deps.prisma.customer.findMany({
    where: { AND: [scope, { initials: { startsWith: normalized } }] },
    orderBy: { normalizedName: "asc" },
    take: MAX_CANDIDATES + 1,
  });
  const exactInitials = byInitials.filter((c) => c.initials === normalized);
  const initialsMatch = pickOne(exactInitials.length > 0 ? exactInitials : byInitials, normalized);
  return initialsMatch ? { customer: initialsMatch, match: "initials" } : null;
}

function pickOne(candidates: Customer[], typed: string): Customer | null {
  if (candidates.length === 0) return null;
  if (candidates.length === 1) return candidates[0] ?? null;
  const names = candidates.slice(0, MAX_CANDIDATES).map((c) => c.name);
  if (candidates.length > MAX_CANDIDATES) names.push("…");
  throw new UserError("customer.ambiguous", { name: typed, candidates: names.join(", ") });
}

export async function updateCustomer(
  deps: DomainDeps,
  actor: Actor,
  customer: Customer,
  fields: CustomerFields,
  action = "customer.edit",
): Promise<CustomerWithOwner> {
  await assertAccess(deps, actor, customer);
  const settings = workspaceSettings(actor.workspace);
  const revisitChanged = fields.tier !== undefined || fields.cadenceDays !== undefined;
  const write = () =>
    deps.prisma.$transaction(async (tx) => {
      // A new revisit date counts from the last touch as it is now, not as it was when the command
      // began (a visit may have been logged since): read inside the transaction, and written only
      // while still so, the row being locked by the update.
      const current = revisitChanged ? await tx.customer.findUniqueOrThrow({ where: { id: customer.id } }) : customer;
      const merged = { ...current, ...definedOnly(fields) };
      const updated = await tx.customer.update({
        where: { id: customer.id, ...(revisitChanged ? { lastContactAt: current.lastContactAt } : {}) },
        data: {
          ...definedOnly(fields),
          ...(revisitChanged ? { nextRevisitAt: nextRevisitDate(merged, settings, actor.workspace.timeZone) } : {}),
        },
        include: { owner: true },
      });
      await audit(
        tx,
        byActor(actor, deps.clock.now(), {
          action,
          entity: "customer",
          entityId: customer.id,
          data: {
            changes: JSON.parse(JSON.stringify(definedOnly(fields))),
            // The stage it left, so the digest can say "prospective -> current".
            ...(fields.stage && fields.stage !== customer.stage ? { fromStage: customer.stage } : {}),
          },
        }),
      );
      return updated;
    });
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error)) throw new UserError("customer.exists", { name: fields.name ?? customer.name });
      // A visit logged between the read and the write: read again (a deleted customer fails the read).
      if (!(revisitChanged && isRecordNotFound(error) && attempt < 3)) throw error;
    }
  }
}

function definedOnly<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * A lost customer keeps its history and goes back on the prospect list: the prospect cadence
 * starts now, so the owner is reminded to try to win it back.
 */
export async function markLost(deps: DomainDeps, actor: Actor, customer: Customer, reason: string | undefined) {
  if (customer.stage === "lost") throw new UserError("customer.alreadyLost", { name: customer.name });
  await assertAccess(deps, actor, customer);
  const now = deps.clock.now();
  const settings = workspaceSettings(actor.workspace);
  return deps.prisma.$transaction(async (tx) => {
    const updated = await tx.customer.update({
      where: { id: customer.id },
      data: {
        stage: "lost",
        tier: "prospect",
        lostAt: now,
        lostReason: reason ?? null,
        nextRevisitAt: nextRevisitDate(
          { tier: "prospect", cadenceDays: customer.cadenceDays, lastContactAt: now, createdAt: customer.createdAt },
          settings,
          actor.workspace.timeZone,
        ),
        snoozedUntil: null,
      },
      include: { owner: true },
    });
    await audit(
      tx,
      byActor(actor, now, {
        action: "customer.lost",
        entity: "customer",
        entityId: customer.id,
        data: { from: customer.stage, tier: customer.tier, reason: reason ?? null },
      }),
    );
    return updated;
  });
}

/** A lost customer is won back: a current customer again, its history intact. */
export async function winBack(deps: DomainDeps, actor: Actor, customer: Customer) {
  if (customer.stage !== "lost") throw new UserError("customer.notLost", { name: customer.name });
  await assertAccess(deps, actor, customer);
  return deps.prisma.$transaction(async (tx) => {
    const updated = await tx.customer.update({
      where: { id: customer.id },
      data: { stage: "current", lostAt: null, lostReason: null },
      include: { owner: true },
    });
    await audit(
      tx,
      byActor(actor, deps.clock.now(), {
        action: "customer.winback",
        entity: "customer",
        entityId: customer.id,
        data: { lostAt: customer.lostAt?.toISOString() ?? null },
      }),
    );
    return updated;
  });
}

export async function snoozeCustomer(deps: DomainDeps, actor: Actor, customer: Customer, until: Date) {
  if (until.getTime() <= deps.clock.now().getTime()) throw new UserError("snooze.past", {}, "snooze");
  return updateCustomerRaw(deps, actor, customer, { snoozedUntil: until }, "customer.snooze");
}

export async function linkChannel(deps: DomainDeps, actor: Actor, customer: Customer, channel: string | null) {
  return updateCustomerRaw(deps, actor, customer, { linkedChannel: channel }, channel ? "customer.link" : "customer.unlink");
}

async function updateCustomerRaw(
  deps: DomainDeps,
  actor: Actor,
  customer: Customer,
  data: PrismaNS.CustomerUpdateInput,
  action: string,
) {
  await assertAccess(deps, actor, customer);
  return deps.prisma.$transaction(async (tx) => {
    const updated = await tx.customer.update({ where: { id: customer.id }, data, include: { owner: true } });
    await audit(
      tx,
      byActor(actor, deps.clock.now(), {
        action,
        entity: "customer",
        entityId: customer.id,
        data: JSON.parse(JSON.stringify(data)),
      }),
    );
    return updated;
  });
}
