// The embedded database's empty cluster, made by initdb once at build time, so that a first start
// copies it into an empty DATA_DIR instead of running initdb (2 to 4 s of WebAssembly here).
// PGlite's own prepopulated-FS package rests on the same idea. Every folder seeded from one build
// shares the template's system identifier, which only physical replication reads; PGlite has none.
import { copyFileSync, cpSync, existsSync, readFileSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";

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

/** Runs initdb into the template directory unless this PGlite version has one; returns its path. */
export async function writeTemplate(): Promise<string> {
  const template = templateDirectory();
  if (existsSync(path.join(template, MARK))) return template;
  const partial = `${template}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(path.dirname(partial), { recursive: true });
  // Closed, not dumped while running: PostgreSQL shuts down cleanly, so a copy starts without recovery.
  const pglite = await PGlite.create(partial);
  await pglite.close();
  await rm(template, { recursive: true, force: true });
  await rename(partial, template);
  return template;
}
