// `cli export [file.csv]`: the customers the member can see, in the columns `import` reads back.
import { writeFile } from "node:fs/promises";
import type { Core } from "../../app.ts";
import { visibleCustomers } from "../../domain/access.ts";
import type { Actor } from "../../domain/deps.ts";
import { localDay } from "../../domain/time.ts";

const columns = [
  "name",
  "tier",
  "stage",
  "owner",
  "region",
  "tags",
  "birthday",
  "cadence",
  "channel",
  "lastContact",
  "nextRevisit",
];

export function csvField(value: string): string {
  // A leading =, +, - or @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export async function exportCustomersCsv(core: Core, actor: Actor, file: string | undefined): Promise<number> {
  const where = await visibleCustomers(core.deps, actor);
  const tz = actor.workspace.timeZone;
  const lines = [columns.join(",")];
  let cursor: string | undefined;
  for (;;) {
    const page = await core.deps.prisma.customer.findMany({
      where,
      include: { owner: true },
      orderBy: { id: "asc" },
      take: 1_000,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    for (const c of page) {
      lines.push(
        [
          c.name,
          c.tier,
          c.stage,
          c.owner?.externalId ?? "",
          c.region ?? "",
          c.tags.join(","),
          c.birthday ?? "",
          c.cadenceDays?.toString() ?? "",
          c.linkedChannel ? `<#${c.linkedChannel}>` : "",
          c.lastContactAt ? localDay(c.lastContactAt, tz) : "",
          c.nextRevisitAt ? localDay(c.nextRevisitAt, tz) : "",
        ]
          .map(csvField)
          .join(","),
      );
    }
    if (page.length < 1_000) break;
    cursor = page.at(-1)?.id;
  }
  const csv = `${lines.join("\n")}\n`;
  if (file) {
    await writeFile(file, csv);
    console.error(`${lines.length - 1} customers written to ${file}`);
  } else {
    process.stdout.write(csv);
  }
  return 0;
}
