// Benchmark: from process start to /healthz answering, on the embedded database (first start,
// with migrations, and a restart) and on PostgreSQL, against a bare Node HTTP server started the
// same way in the same run. Each figure is the median of three starts.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPostgresDatabase, dropPostgresDatabase } from "../test/support/database.ts";

const bare = `require("node:http").createServer((q, s) => s.end("ok")).listen(Number(process.env.PORT), "127.0.0.1")`;

async function timeToHealthy(args: string[], env: Record<string, string>, port: number): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? "", ...env, PORT: String(port) },
    stdio: "ignore",
  });
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return performance.now() - started;
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
      if (performance.now() - started > 60_000) throw new Error("not healthy after 60 s");
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const range = (xs: number[]) => `${(Math.min(...xs) / 1000).toFixed(2)}-${(Math.max(...xs) / 1000).toFixed(2)} s`;

export async function benchStartup(): Promise<string[]> {
  const port = 39_000 + Math.floor(Math.random() * 1000);
  const runs = async (args: string[], env: Record<string, string>) => {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) times.push(await timeToHealthy(args, env, port));
    return median(times);
  };
  const baseline = await runs(["-e", bare], {});
  const dir = await mkdtemp(path.join(tmpdir(), "crm-startup-"));
  const lines: string[] = [];
  try {
    const env = { LOG_LEVEL: "warn", SCHEDULER: "off" };
    // A first start is one sample per folder or database, so each is measured on three fresh ones.
    const firsts: number[] = [];
    for (let i = 0; i < 3; i++)
      firsts.push(await timeToHealthy(["dist/main.js"], { ...env, DATA_DIR: path.join(dir, `data${i}`) }, port));
    const first = median(firsts);
    const firstRange = range(firsts);
    const again = await runs(["dist/main.js"], { ...env, DATA_DIR: path.join(dir, "data0") });
    const databases = [await createPostgresDatabase(), await createPostgresDatabase(), await createPostgresDatabase()];
    let pgFirst: number;
    let pgFirstRange: string;
    let pgAgain: number;
    try {
      const pgFirsts: number[] = [];
      for (const { url } of databases) pgFirsts.push(await timeToHealthy(["dist/main.js"], { ...env, DATABASE_URL: url }, port));
      pgFirst = median(pgFirsts);
      pgFirstRange = range(pgFirsts);
      pgAgain = await runs(["dist/main.js"], { ...env, DATABASE_URL: databases[0]?.url ?? "" });
    } finally {
      for (const { name } of databases) await dropPostgresDatabase(name);
    }
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s (${(ms / baseline).toFixed(0)}x)`;
    lines.push(
      `start-up to /healthz: embedded first start ${s(first)} [${firstRange}], restart ${s(again)}; PostgreSQL first start ${s(pgFirst)} [${pgFirstRange}], restart ${s(pgAgain)} | bare Node HTTP server ${(baseline / 1000).toFixed(2)} s`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  for (const line of lines) console.log(line);
  return lines;
}
