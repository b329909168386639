// The daily reminder of open feedback: one DM per owner listing their open items, oldest first,
// like an overdue revisit. Items opened today wait for tomorrow: their owner has just heard of them.
import type { Prisma as PrismaNS, Workspace } from "../../generated/prisma/client.ts";
import type { DomainDeps } from "../deps.ts";
import { daysBetween, localDay, zonedInstant } from "../time.ts";
import type { PlannedNudge } from "./plan.ts";

export const FEEDBACK_LIST = 10;

export interface FeedbackReminderItem {
  id: string;
  customerId: string;
  customerName: string;
  text: string;
  openedDay: string;
  daysOpen: number;
}

export interface FeedbackReminderPayload {
  items: FeedbackReminderItem[];
  total: number;
}

interface Row {
  id: string;
  customerId: string;
  customerName: string;
  text: string;
  ownerId: string;
  createdAt: Date;
  total: bigint | number;
}

export async function planFeedback(deps: DomainDeps, workspace: Workspace, day: string): Promise<PlannedNudge[]> {
  const startOfToday = zonedInstant(day, workspace.timeZone);
  const rows = await deps.prisma.$queryRaw<Row[]>`
    select "id", "customerId", "customerName", "text", "ownerId", "createdAt", total from (
      select f."id", f."customerId", c."name" as "customerName", left(f."text", 200) as "text", f."ownerId", f."createdAt",
             row_number() over (partition by f."ownerId" order by f."createdAt", f."id") as rank,
             count(*) over (partition by f."ownerId") as total
      from "Feedback" f
      join "Customer" c on c."id" = f."customerId"
      join "Member" m on m."id" = f."ownerId" and m."active"
      where f."workspaceId" = ${workspace.id}::uuid and f."status" = 'open' and f."createdAt" < ${startOfToday}
    ) ranked where rank <= ${FEEDBACK_LIST}
    order by "ownerId", "createdAt"`;
  const byOwner = new Map<string, FeedbackReminderPayload>();
  for (const row of rows) {
    const openedDay = localDay(row.createdAt, workspace.timeZone);
    const payload = byOwner.get(row.ownerId) ?? { items: [], total: Number(row.total) };
    payload.items.push({
      id: row.id,
      customerId: row.customerId,
      customerName: row.customerName,
      text: row.text,
      openedDay,
      daysOpen: daysBetween(openedDay, day),
    });
    byOwner.set(row.ownerId, payload);
  }
  return [...byOwner].map(([recipientId, payload]) => ({
    workspaceId: workspace.id,
    kind: "feedback" as const,
    recipientId,
    subjectKey: "",
    day,
    payload: payload as unknown as PrismaNS.InputJsonValue,
  }));
}
