// The embedded database's cluster, made by initdb once at build time with the committed migrations
// applied, so that a first start copies it into an empty DATA_DIR instead of running initdb (2 to
// 4 s of WebAssembly here) and then every migration (0.7 s more). PGlite's own prepopulated-FS
// package rests on the same idea. Every folder seeded from one build shares the template's system
// identifier, which only physical replication reads; PGlite has none.
import { copyFileSync, cpSync, existsSync, readFileSync } from "node:fs";
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { applyEmbeddedMigrations, migrationChecksum } from "./embedded-migrations.ts";
import { listMigrations, migrationsDir } from "./migrations.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

// PostgreSQL's own mark of a data directory, and what PGlite looks for to resume rather than
// run initdb. It is copied last, so that a copy cut short is simply made again next time.
const MARK = "PG_VERSION";

/** Where this build keeps the cluster: named after the PGlite version, since a cluster only fits the build that made it. */
function templateDirectory(): string {
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const { version } = JSON.parse(readFileSync(path.join(path.dirname(entry), "../package.json"), "utf8")) as { version: string };
  return path.join(root, "dist/pglite-template", `pglite-${version}`);
}

/**
 * Copies the template into `dataDir` when it holds no cluster yet.
 * Without a template (another PGlite version, or no build) PGlite runs initdb as before.
 */
export function seedFromTemplate(dataDir: string): void {
  const template = templateDirectory();
  if (existsSync(path.join(dataDir, MARK)) || !existsSync(path.join(template, MARK))) return;
  // Synchronous on purpose: about 1,000 small files take 0.1 s this way and ten times that through
  // the thread pool on a busy machine; nothing else is running yet.
  cpSync(template, dataDir, { recursive: true, filter: (source) => source !== path.join(template, MARK) });
  copyFileSync(path.join(template, MARK), path.join(dataDir, MARK));
}

/**
 * Makes the template directory unless this PGlite version has one with every committed migration
 * applied: applies the new ones to a copy of the template there is when it holds the older
 * migrations unchanged, else runs initdb and applies them all, and swaps the result in; returns
 * its path. The migrations it holds are listed beside it, so that a build checks them without
 * starting the database. A start still applies any newer ones itself.
 */
export async function writeTemplate(template = templateDirectory(), migrations = migrationsDir): Promise<string> {
  const wanted = await committedMigrations(migrations);
  const held = existsSync(path.join(template, MARK)) ? await readFile(listFile(template), "utf8").catch(() => null) : null;
  if (held === wanted) return template;
  await removePartials(template);
  const partial = `${template}.partial-${process.pid}`;
  try {
    await mkdir(path.dirname(partial), { recursive: true });
    // A migration edited, renamed or removed since (the list no longer starts with what the
    // template holds) would stay in it as it was: start again from initdb then.
    if (held && wanted.startsWith(held)) await cp(template, partial, { recursive: true });
    // Closed, not dumped while running: PostgreSQL shuts down cleanly, so a copy starts without recovery.
    const pglite = await PGlite.create(partial);
    try {
      // Null only for a history that needs the schema engine's judgement, which this one never has.
      if ((await applyEmbeddedMigrations(pglite, migrations)) === null)
        throw new Error(`the template in ${partial} could not be migrated`);
    } finally {
      await pglite.close();
    }
    await rm(listFile(template), { force: true });
    await rm(template, { recursive: true, force: true });
    await rename(partial, template);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    // Another build made it at the same moment.
    if ((await readFile(listFile(template), "utf8").catch(() => null)) === wanted) return template;
    throw error;
  }
  await writeFile(listFile(template), wanted);
  return template;
}

/** Removes what builds cut short left beside the template (not the work of a build still running). */
async function removePartials(template: string): Promise<void> {
  const prefix = `${path.basename(template)}.partial-`;
  const entries = await readdir(path.dirname(template)).catch(() => []);
  for (const entry of entries.filter((name) => name.startsWith(prefix) && !running(Number(name.slice(prefix.length)))))
    await rm(path.join(path.dirname(template), entry), { recursive: true, force: true });
}

function running(pid: number): boolean {
  try {
    return Number.isInteger(pid) && pid > 0 && process.kill(pid, 0);
  } catch {
    return false;
  }
}

/** Beside the template (not in it, so not copied into data folders): the migrations it holds. */
const listFile = (template: string) => `${template}.migrations`;

/** The committed migrations, a line each: name and checksum. */
async function committedMigrations(dir: string): Promise<string> {
  const { migrationDirectories } = await listMigrations(dir);
  return migrationDirectories
    .map(
      ({ path: name, migrationFile: { content } }) =>
        `${name} ${content.tag === "ok" ? migrationChecksum(content.value) : "unreadable"}\n`,
    )
    .join("");
}
