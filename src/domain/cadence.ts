// Revisit cadence: the clock restarts at the last logged touch (due = last contact + cadence).
import type { Customer, Tier } from "../generated/prisma/client.ts";
import type { Settings } from "./settings.ts";
import { addLocalDays } from "./time.ts";

export function cadenceDays(customer: { tier: Tier; cadenceDays: number | null }, settings: Settings): number {
  return customer.cadenceDays ?? settings.cadence[customer.tier];
}

/** When the next revisit is due, counted from the last touch (or from when the customer was added). */
export function nextRevisitDate(
  customer: Pick<Customer, "tier" | "cadenceDays" | "lastContactAt" | "createdAt">,
  settings: Settings,
  timeZone: string,
): Date {
  const from = customer.lastContactAt ?? customer.createdAt;
  return addLocalDays(from, cadenceDays(customer, settings), timeZone);
}
