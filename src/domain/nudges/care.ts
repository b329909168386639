// Customer care (客户关怀): birthdays and the festivals the workspace chose, so that owners
// send greetings in time.
import type { Prisma as PrismaNS, Workspace } from "../../generated/prisma/client.ts";
import { festivalsBetween, isWorkday, nextWorkday } from "../calendar.ts";
import type { DomainDeps } from "../deps.ts";
import type { Settings } from "../settings.ts";
import { addDays } from "../time.ts";
import type { PlannedNudge } from "./plan.ts";

export const CARE_LIST = 10;

export interface CarePayload {
  birthdays: { id: string; name: string; birthday: string }[];
  festivals: { key: string; day: string }[];
  /** For a festival: the owner's key and current customers to greet. */
  greet: { id: string; name: string }[];
  greetTotal: number;
}

/** Festivals are announced on the last working day on or before `careLeadDays` before them. */
function festivalsAnnouncedOn(settings: Settings, day: string) {
  const horizon = addDays(day, settings.careLeadDays + 14);
  return festivalsBetween(settings.careFestivals, day, horizon).filter((f) => {
    let announce = addDays(f.day, -settings.careLeadDays);
    for (let i = 0; i < 30 && !isWorkday(announce, settings); i++) announce = addDays(announce, -1);
    return announce === day;
  });
}

/** Birthdays from today up to the next working day, so none falls on a weekend unnoticed. */
function birthdayWindow(settings: Settings, day: string): string[] {
  const days: string[] = [];
  const until = nextWorkday(day, settings);
  for (let d = day; d < until; d = addDays(d, 1)) days.push(d.slice(5));
  return days;
}

export async function planCare(deps: DomainDeps, workspace: Workspace, settings: Settings, day: string): Promise<PlannedNudge[]> {
  const festivals = festivalsAnnouncedOn(settings, day);
  const birthdays = await deps.prisma.customer.findMany({
    where: { workspaceId: workspace.id, birthday: { in: birthdayWindow(settings, day) }, ownerId: { not: null } },
    select: { id: true, name: true, birthday: true, ownerId: true },
    orderBy: { birthday: "asc" },
  });
  const owners = new Map<string, CarePayload>();
  const payloadFor = (ownerId: string) => {
    const known = owners.get(ownerId);
    if (known) return known;
    const created: CarePayload = { birthdays: [], festivals, greet: [], greetTotal: 0 };
    owners.set(ownerId, created);
    return created;
  };
  for (const b of birthdays)
    payloadFor(b.ownerId as string).birthdays.push({ id: b.id, name: b.name, birthday: b.birthday as string });
  if (festivals.length > 0) {
    const greet = await deps.prisma.$queryRaw<{ id: string; name: string; ownerId: string; total: bigint | number }[]>`
      select id, name, "ownerId", total from (
        select c."id", c."name", c."ownerId",
               row_number() over (partition by c."ownerId" order by c."tier", c."normalizedName") as rank,
               count(*) over (partition by c."ownerId") as total
        from "Customer" c
        where c."workspaceId" = ${workspace.id}::uuid and c."ownerId" is not null
          and (c."tier" = 'key' or c."stage" = 'current')
      ) ranked where rank <= ${CARE_LIST}`;
    for (const g of greet) {
      const p = payloadFor(g.ownerId);
      p.greet.push({ id: g.id, name: g.name });
      p.greetTotal = Number(g.total);
    }
  }
  return [...owners].map(([recipientId, payload]) => ({
    workspaceId: workspace.id,
    kind: "care" as const,
    recipientId,
    subjectKey: "",
    day,
    payload: payload as unknown as PrismaNS.InputJsonValue,
  }));
}
