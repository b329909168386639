// Build step: keeps the embedded database's empty cluster (initdb's output) in dist/, so that a
// first start on an empty DATA_DIR copies it instead of running initdb. Runs after tsc; once per
// PGlite version.
import { writeTemplate } from "../dist/db/pglite-template.js";

const started = performance.now();
const file = await writeTemplate();
console.log(`Embedded database template: ${file} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
