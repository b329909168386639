// What a workspace's morning sweep should send today: one revisit DM per rep, one escalation DM
// per manager (or the admins), care and open-feedback reminders, automatic survey links, and on
// the digest day the managers' weekly digests. Planned from the database's state, so a
// missed or repeated tick plans the same thing; owners are taken a batch at a time, so memory
// stays flat however many customers there are.
import type { Member as MemberRow, NudgeKind, Prisma as PrismaNS, Workspace } from "../../generated/prisma/client.ts";
import { isWorkday } from "../calendar.ts";
import type { DomainDeps } from "../deps.ts";
import { addDays, localDay, localParts, zonedInstant } from "../time.ts";
import { workspaceSettings } from "../workspaces.ts";
import { planCare } from "./care.ts";
import { planDigests } from "./digests.ts";
import { type DueItem, findOverdueByOwner } from "./due.ts";
import { planFeedback } from "./feedback.ts";
import { planSurveys } from "./surveys.ts";

export const PER_REP = 10;
export const PER_REP_IN_ESCALATION = 5;
const OWNER_BATCH = 250;
const BATCHES_AHEAD = 3;
/** About as many customers as 250 owners list at 100,000 customers: what a batch is sized to list. */
const BATCH_LISTED = 2_500;

export interface PlannedNudge {
  workspaceId: string;
  kind: NudgeKind;
  recipientId: string;
  subjectKey: string;
  day: string;
  payload: PrismaNS.InputJsonValue;
}

export type { DueItem } from "./due.ts";

/** An owner's slipping customers for the escalation, and how many slipped in all. */
interface Slipping {
  customers: DueItem[];
  total: number;
}

/** The active members, with what an escalation names: read once per sweep. */
type Member = Pick<MemberRow, "id" | "externalId" | "displayName" | "role" | "managerId">;

export interface RevisitPayload {
  customers: DueItem[];
  total: number;
}

export interface EscalationPayload {
  reps: { repId: string; repExternalId: string; repName: string; customers: DueItem[]; total: number }[];
}

export type SweepSkip = "notWorkday" | "tooEarly";

/** Receives planned nudges a batch at a time (the sweep records them; a preview collects them). */
export type PlanSink = (nudges: PlannedNudge[]) => Promise<void>;

export interface SweepPlan {
  day: string;
  skipped?: SweepSkip;
  planned: number;
}

/**
 * Plans the workspace's local today, handing nudges to `sink`, or says why there is nothing yet.
 * `anyHour` plans before the nudge hour too, to show what the morning will send.
 */
export async function planSweep(
  deps: DomainDeps,
  workspace: Workspace,
  sink: PlanSink,
  options: { anyHour?: boolean } = {},
): Promise<SweepPlan> {
  const now = deps.clock.now();
  const tz = workspace.timeZone;
  const settings = workspaceSettings(workspace);
  const day = localDay(now, tz);
  let planned = 0;
  const emit = async (nudges: PlannedNudge[]) => {
    planned += nudges.length;
    if (nudges.length > 0) await sink(nudges);
  };
  // The weekly digest keeps its own weekday and hour, holiday or not.
  await emit(await planDigests(deps, workspace, settings));
  if (!isWorkday(day, settings)) return { day, skipped: "notWorkday", planned };
  if (!options.anyHour && localParts(now, tz).hour < settings.nudgeHour) return { day, skipped: "tooEarly", planned };

  const endOfDay = zonedInstant(addDays(day, 1), tz);
  const graceStart = (days: number) => zonedInstant(addDays(day, -days), tz);
  const query = {
    dueBefore: endOfDay,
    snoozeBefore: endOfDay,
    perOwner: PER_REP,
    perOwnerSlipping: PER_REP_IN_ESCALATION,
    timeZone: tz,
    graceBefore: {
      key: graceStart(settings.grace.key),
      normal: graceStart(settings.grace.normal),
      prospect: graceStart(settings.grace.prospect),
    },
  };
  // Plain SQL: the ORM's path cost several times as much for a team of thousands, and every
  // batch of owners waits for it.
  const members = await deps.prisma.$queryRaw<Member[]>`
    select "id", "externalId", "displayName", "role"::text as "role", "managerId"
    from "Member" where "workspaceId" = ${workspace.id}::uuid and "active" order by "id"`;
  // The other reminders read nothing the revisits write, so they are found while the revisits
  // are (one after another, on one connection), and handed on after them.
  const others = started(
    (async () => [
      await planCare(deps, workspace, settings, day),
      await planFeedback(deps, workspace, day),
      await planSurveys(deps, workspace, settings, day),
    ])(),
  );
  const slipping = new Map<string, Slipping>();
  // Batches are sized by the customers the batches read so far listed per owner: never fewer than
  // 250 owners, more where few are overdue, so a small workspace takes fewer round trips. The first
  // four are 250 (asked for before the first is read).
  let ownersRead = 0;
  let customersListed = 0;
  const batchSize = () =>
    customersListed === 0 ? OWNER_BATCH : Math.max(OWNER_BATCH, Math.floor((BATCH_LISTED * ownersRead) / customersListed));
  let asked = 0;
  const askNext = () => {
    const ownerIds = members.slice(asked, asked + batchSize()).map((m) => m.id);
    asked += ownerIds.length;
    return { owners: ownerIds.length, due: started(findOverdueByOwner(deps, workspace.id, { ...query, ownerIds })) };
  };
  // Three batches are asked for ahead of the one being read, so that PostgreSQL, which takes most
  // of a plan's time, walks batches on both cores while Node reads and shapes this one's (at 100k,
  // 60-64 ms a plan against 66-69 with two ahead, alternating). With the other reminders' query
  // and the recording of a batch's nudges, the sweep holds at most six of the pool's connections
  // for that moment; a smaller pool only queues them.
  const ahead: ReturnType<typeof askNext>[] = [];
  const fill = () => {
    while (asked < members.length && ahead.length < BATCHES_AHEAD) ahead.push(askNext());
  };
  fill();
  while (ahead.length > 0) {
    const current = ahead.shift() as ReturnType<typeof askNext>;
    fill();
    const due = await current.due;
    ownersRead += current.owners;
    const revisits: PlannedNudge[] = [];
    for (const owner of due) {
      customersListed += owner.listed.length;
      const payload: RevisitPayload = { customers: owner.listed, total: owner.total };
      // Written out, not spread from a shared base: V8 spreads an object into a new one about ten
      // times as slowly (10 ms for 2,000 nudges).
      revisits.push({
        workspaceId: workspace.id,
        subjectKey: "",
        day,
        kind: "revisit",
        recipientId: owner.ownerId,
        payload: payload as unknown as PrismaNS.InputJsonValue,
      });
      if (owner.slipped.length > 0) slipping.set(owner.ownerId, { customers: owner.slipped, total: owner.slipTotal });
    }
    await emit(revisits);
  }
  await emit(planEscalations(workspace, members, slipping, day));
  for (const nudges of await others) await emit(nudges);
  return { day, planned };
}

/** Starts `promise` now to be awaited later: a failure is thrown where it is awaited, not reported as unhandled meanwhile. */
function started<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

/** A plan collected in memory: for previews (`nudges`, `sweep --dry-run`), not for sweeps. */
export async function previewSweep(deps: DomainDeps, workspace: Workspace, options: { anyHour?: boolean } = {}) {
  const nudges: PlannedNudge[] = [];
  const plan = await planSweep(deps, workspace, async (batch) => void nudges.push(...batch), options);
  return { ...plan, nudges };
}

// A rep's slipping customers go to the rep's manager; a rep with no manager, to the admins.
function planEscalations(workspace: Workspace, members: Member[], slipping: Map<string, Slipping>, day: string): PlannedNudge[] {
  if (slipping.size === 0) return [];
  const admins = members.filter((m) => m.role === "admin");
  const byRecipient = new Map<string, EscalationPayload["reps"]>();
  for (const rep of members) {
    const slipped = slipping.get(rep.id);
    if (!slipped) continue;
    const entry = {
      repId: rep.id,
      repExternalId: rep.externalId,
      repName: rep.displayName,
      customers: slipped.customers,
      total: slipped.total,
    };
    const recipients = rep.managerId ? [rep.managerId] : admins.filter((a) => a.id !== rep.id).map((a) => a.id);
    for (const recipient of recipients) {
      const entries = byRecipient.get(recipient);
      if (entries) entries.push(entry);
      else byRecipient.set(recipient, [entry]);
    }
  }
  return [...byRecipient].map(([recipientId, reps]) => ({
    workspaceId: workspace.id,
    kind: "escalation" as const,
    recipientId,
    subjectKey: "",
    day,
    payload: { reps } as unknown as PrismaNS.InputJsonValue,
  }));
}
