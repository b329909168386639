// Adds many customers at once, all or none: every row is checked before anything is written.
import { audit, byActor } from "./audit.ts";
import { type CustomerFields, newCustomerData } from "./customers.ts";
import type { Actor, DomainDeps } from "./deps.ts";
import { normalizeName } from "./names.ts";

export interface ImportRow extends CustomerFields {
  /** The row's line number in the file, for messages. */
  line: number;
  name: string;
}

export type ImportProblem = { line: number; code: "duplicateInFile" | "exists"; name: string; otherLine?: number };

const CHUNK = 1_000;

/** Finds rows whose names repeat within the file or already exist in the workspace. */
export async function checkImport(deps: DomainDeps, actor: Actor, rows: ImportRow[]): Promise<ImportProblem[]> {
  const problems: ImportProblem[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const key = normalizeName(row.name);
    const other = seen.get(key);
    if (other !== undefined) problems.push({ line: row.line, code: "duplicateInFile", name: row.name, otherLine: other });
    else seen.set(key, row.line);
  }
  const names = [...seen.keys()];
  for (let i = 0; i < names.length; i += CHUNK) {
    const existing = await deps.prisma.customer.findMany({
      where: { workspaceId: actor.workspace.id, normalizedName: { in: names.slice(i, i + CHUNK) } },
      select: { normalizedName: true, name: true },
    });
    for (const c of existing) problems.push({ line: seen.get(c.normalizedName) ?? 0, code: "exists", name: c.name });
  }
  return problems.sort((a, b) => a.line - b.line);
}

/** Writes every row in one transaction; a failure leaves the database as it was. */
export async function importCustomers(
  deps: DomainDeps,
  actor: Actor,
  rows: ImportRow[],
  progress: (written: number) => void = () => {},
): Promise<number> {
  const now = deps.clock.now();
  const data = rows.map(({ line: _, name, ...fields }) => newCustomerData(actor, name, fields, now));
  return deps.prisma.$transaction(
    async (tx) => {
      let written = 0;
      for (let i = 0; i < data.length; i += CHUNK) {
        written += (await tx.customer.createMany({ data: data.slice(i, i + CHUNK) })).count;
        progress(written);
      }
      await audit(
        tx,
        byActor(actor, now, {
          action: "customer.import",
          entity: "workspace",
          entityId: actor.workspace.id,
          data: { count: written },
        }),
      );
      return written;
    },
    { timeout: 600_000, maxWait: 30_000 },
  );
}
