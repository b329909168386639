// The embedded database's empty cluster, made by initdb once at build time, so that a first start
// on an empty folder loads it instead of running initdb (about 2 s of WebAssembly on two cores).
// PGlite's own clone() and its prepopulated-FS package work the same way.
import { readFileSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const templateDir = path.join(root, "dist/pglite-template");

// A cluster only fits the PGlite build that made it, so the file is named after its version and
// another version simply finds none and runs initdb.
function templatePath(): string {
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const { version } = JSON.parse(readFileSync(path.join(path.dirname(entry), "../package.json"), "utf8")) as { version: string };
  return path.join(templateDir, `pglite-${version}.tar`);
}

/** The cluster to load into an empty folder, or undefined when this build has none. */
export async function readTemplate(): Promise<Blob | undefined> {
  const bytes = await readFile(templatePath()).catch(() => undefined);
  return bytes && new Blob([bytes]);
}

/** Runs initdb in memory and stores the result for readTemplate; returns the file's path. */
export async function writeTemplate(): Promise<string> {
  const file = templatePath();
  const pglite = await PGlite.create();
  try {
    const dump = await pglite.dumpDataDir("none");
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(`${file}.partial`, new Uint8Array(await dump.arrayBuffer()));
    await rename(`${file}.partial`, file);
    return file;
  } finally {
    await pglite.close();
  }
}
