import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, dropPostgresDatabase, testDatabaseKind } from "../support/database.ts";

const run = promisify(execFile);
let dir: string;
let env: Record<string, string>;
let pgName: string | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "crm-cli-"));
  env = { PATH: process.env.PATH ?? "", DATA_DIR: path.join(dir, "data"), USER: "tester", DEFAULT_LOCALE: "en" };
  if (testDatabaseKind === "postgres") {
    const { url, name } = await createPostgresDatabase();
    env.DATABASE_URL = url;
    pgName = name;
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  if (pgName) await dropPostgresDatabase(pgName);
});

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("node_modules/.bin/tsx", ["src/cli.ts", ...args], { env, cwd: process.cwd() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("the command line", () => {
  it("runs a customer command as a member, exactly as the chat platforms would", async () => {
    const added = await cli("--as", "alice", "customer", "add", "Acme 北京", "tier=key", "region=华北", "owner=@alice");
    expect(added.code).toBe(0);
    expect(added.stdout).toContain("Added Acme 北京 as a key customer.");
    const logged = await cli("--as", "alice", "客户", "记录", "Acme 北京", "拜访，客户希望周五前报价");
    expect(logged.stdout).toContain("已记录与 Acme 北京 的拜访");
    const shown = await cli("--as", "alice", "customer", "show", "abj");
    expect(shown.stdout).toContain("Last contact:");
    expect(shown.stdout).toContain("拜访，客户希望周五前报价");
  });

  it("exits non-zero with the reason when a command is refused", async () => {
    const result = await cli("--as", "alice", "customer", "add", "Acme", "tier=gold");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("`tier=gold` is not valid");
  });

  it("imports a CSV all or nothing, naming each bad row, and exports what import reads back", async () => {
    const bad = path.join(dir, "bad.csv");
    await writeFile(bad, "name,tier,region\nBeta,key,华东\nGamma,gold,华南\nBeta,normal,\n");
    const refused = await cli("--as", "alice", "import", bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Line 3:");
    expect(refused.stderr).toContain("gold");
    expect(refused.stderr).toContain("Line 4: Beta appears again (first on line 2).");
    expect(refused.stderr).toContain("Nothing was imported");

    const good = path.join(dir, "good.csv");
    await writeFile(good, '名称,等级,地区,标签\nBeta,重点,华东,"零售,华东"\nGamma,普通,华南,\n');
    const imported = await cli("--as", "alice", "import", good);
    expect(imported.stdout).toContain("Imported 2 customers.");

    const out = path.join(dir, "out.csv");
    expect((await cli("--as", "alice", "export", out)).code).toBe(0);
    const csv = await readFile(out, "utf8");
    expect(csv.split("\n")[0]).toBe("name,tier,stage,owner,region,tags,birthday,cadence,channel,lastContact,nextRevisit");
    expect(csv).toContain('Beta,key,potential,alice,华东,"零售,华东"');

    // The export goes back in as it came out (into another member's view, so the names are new).
    await cli("--as", "ada", "customer", "edit", "Beta", 'rename="Beta Old"');
    const reimport = await cli("--as", "alice", "import", out);
    expect(reimport.stderr).toContain("Gamma is already a customer.");
  });

  it("applies migrations on request and stops on a bad setting with one clear line", async () => {
    expect((await cli("migrate")).stdout).toContain("Database is up to date.");
    const bad = await run("node_modules/.bin/tsx", ["src/cli.ts", "migrate"], { env: { ...env, PORT: "eighty" } }).catch(
      (e) => e,
    );
    expect(bad.code).toBe(78);
    expect(bad.stderr.trim()).toBe('Configuration error: PORT="eighty" is not valid: expected a port number from 0 to 65535');
  });
});
