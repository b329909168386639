// Benchmark: the daily revisit sweep on PostgreSQL at 10k, 100k and 1M customers (2,000 reps),
// against a raw-SQL floor (one query for the same overdue set) measured in the same run.
import { execFileSync } from "node:child_process";
import { openDatabase } from "../src/db/client.ts";
import { createPostgresDatabase, dropPostgresDatabase } from "../test/support/database.ts";
import { seedWorkspace } from "./seed.ts";

const REPS = 2_000;

interface Run {
  ms: number;
  rows: number;
  maxRssMb: number;
}

function measure(url: string, mode: "floor" | "plan" | "sweep", workspaceId: string): Run {
  const out = execFileSync(process.execPath, ["bench/sweep-child.mjs", url, mode, workspaceId], { encoding: "utf8" });
  return JSON.parse(out) as Run;
}

function best(runs: Run[]): Run {
  return runs.reduce((a, b) => (b.ms < a.ms ? b : a));
}

export async function benchSweep(sizes: number[]): Promise<string[]> {
  const lines: string[] = [];
  for (const customers of sizes) {
    const { url, name } = await createPostgresDatabase();
    try {
      const db = await openDatabase({ url, dataDir: "" });
      await db.migrate();
      await db.close();
      const { workspaceId } = await seedWorkspace(url, customers, REPS);
      measure(url, "floor", workspaceId); // warm the cache
      const floor = best([1, 2, 3].map(() => measure(url, "floor", workspaceId)));
      const plan = best([1, 2, 3].map(() => measure(url, "plan", workspaceId)));
      const sweep = measure(url, "sweep", workspaceId); // sends, so only the first run does the work
      const line =
        `sweep ${customers.toLocaleString("en")} customers / ${REPS} reps: ` +
        `find+plan ${(plan.ms / 1000).toFixed(2)} s (${(plan.ms / floor.ms).toFixed(1)}x the floor, RSS ${plan.maxRssMb.toFixed(0)} MB), ` +
        `whole sweep with ${sweep.rows} DMs ${(sweep.ms / 1000).toFixed(2)} s, peak RSS ${sweep.maxRssMb.toFixed(0)} MB ` +
        `| floor ${(floor.ms / 1000).toFixed(3)} s for ${floor.rows} overdue, RSS ${floor.maxRssMb.toFixed(0)} MB`;
      console.log(line);
      lines.push(line);
    } finally {
      await dropPostgresDatabase(name);
    }
  }
  return lines;
}
