// Benchmark: from process start to /healthz answering, on the embedded database (first start,
// with migrations, and a restart) and on PostgreSQL, against a bare Node HTTP server started the
// same way in the same run.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPostgresDatabase, dropPostgresDatabase } from "../test/support/database.ts";

const bare = `require("node:http").createServer((q, s) => s.end("ok")).listen(Number(process.env.PORT), "127.0.0.1")`;

async function timeToHealthy(args: string[], env: Record<string, string>, port: number): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? "", ...env, PORT: String(port) }, stdio: "ignore" });
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
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
    const env = { DATA_DIR: path.join(dir, "data"), LOG_LEVEL: "warn", SCHEDULER: "off" };
    const first = await timeToHealthy(["dist/main.js"], env, port);
    const again = await runs(["dist/main.js"], env);
    const { url, name } = await createPostgresDatabase();
    let pgFirst: number;
    let pgAgain: number;
    try {
      pgFirst = await timeToHealthy(["dist/main.js"], { ...env, DATABASE_URL: url }, port);
      pgAgain = await runs(["dist/main.js"], { ...env, DATABASE_URL: url });
    } finally {
      await dropPostgresDatabase(name);
    }
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s (${(ms / baseline).toFixed(0)}x)`;
    lines.push(
      `start-up to /healthz: embedded first start ${s(first)}, restart ${s(again)}; PostgreSQL first start ${s(pgFirst)}, restart ${s(pgAgain)} | bare Node HTTP server ${(baseline / 1000).toFixed(2)} s`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  for (const line of lines) console.log(line);
  return lines;
}
