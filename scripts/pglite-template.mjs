// Build step: keeps the embedded database's cluster (initdb's output with the committed migrations
// applied) in dist/, so that a first start on an empty DATA_DIR copies it instead of running initdb
// and every migration. Runs after tsc; does nothing while the template is current.
import { writeTemplate } from "../dist/db/pglite-template.js";

const started = performance.now();
try {
  const file = await writeTemplate();
  console.log(`Embedded database template: ${file} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
} catch (error) {
  // Only a first start's speed depends on it: the build goes on, and a start runs initdb and the
  // migrations itself (and says which one fails, if one does).
  console.warn(
    `Embedded database template not made, so a first start will take longer: ${error instanceof Error ? error.message : error}`,
  );
}
