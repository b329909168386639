// Benchmark: the daily revisit sweep on PostgreSQL at 10k, 100k and 1M customers (2,000 reps),
// against a raw-SQL floor (one query for the same overdue set) measured in the same run.
import { execFileSync } from "node:child_process";
import { openDatabase } from "../src/db/client.ts";
import { createPostgresDatabase, dropPostgresDatabase } from "../test/support/database.ts";
import { seedWorkspace } from "./seed.ts";

const REPS = 2_000;

interface Run {
  /** The best of the runs after the first (a running server's daily sweep). */
  ms: number;
  /** The first run in a fresh process. */
  first?: number;
  rows: number;
  maxRssMb: number;
}

function measure(url: string, mode: "floor" | "plan" | "sweep", workspaceId: string): Run {
  const out = execFileSync(process.execPath, ["bench/sweep-child.mjs", url, mode, workspaceId], { encoding: "utf8" });
  return JSON.parse(out) as Run;
}

/** The best steady-state time and the best first run of several fresh processes, and the highest peak RSS. */
function best(runs: Run[]): Required<Run> {
  return {
    ms: Math.min(...runs.map((r) => r.ms)),
    first: Math.min(...runs.map((r) => r.first ?? r.ms)),
    rows: runs[0]?.rows ?? 0,
    maxRssMb: Math.max(...runs.map((r) => r.maxRssMb)),
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 1000 ? 3 : 2)} s`;

export async function benchSweep(sizes: number[]): Promise<string[]> {
  const lines: string[] = [];
  for (const customers of sizes) {
    const { url, name } = await createPostgresDatabase();
    try {
      const db = await openDatabase({ url, dataDir: "" });
      await db.migrate();
      await db.close();
      const { workspaceId } = await seedWorkspace(url, customers, REPS);
      measure(url, "floor", workspaceId); // warm PostgreSQL's cache
      // Three fresh processes each: the best times, and the highest peak memory.
      const floor = best([1, 2, 3].map(() => measure(url, "floor", workspaceId)));
      const plan = best([1, 2, 3].map(() => measure(url, "plan", workspaceId)));
      const sweep = measure(url, "sweep", workspaceId); // sends, so only the first run does the work
      const line =
        `sweep ${customers.toLocaleString("en")} customers / ${REPS} reps: ` +
        `find+plan ${seconds(plan.ms)} in a running server (${(plan.ms / floor.ms).toFixed(1)}x the floor), ` +
        `${seconds(plan.first)} first in a fresh process (${(plan.first / floor.first).toFixed(1)}x), RSS ${plan.maxRssMb.toFixed(0)} MB; ` +
        `whole sweep with ${sweep.rows} DMs ${seconds(sweep.ms)}, peak RSS ${sweep.maxRssMb.toFixed(0)} MB ` +
        `| floor ${seconds(floor.ms)} (first ${seconds(floor.first)}) for ${floor.rows} overdue, RSS ${floor.maxRssMb.toFixed(0)} MB`;
      console.log(line);
      lines.push(line);
    } finally {
      await dropPostgresDatabase(name);
    }
  }
  return lines;
}
