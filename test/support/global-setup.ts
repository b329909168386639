// Runs once before any test file: brings the embedded database's template up to date (a migration
// added since the last build), so that no test remakes it while others copy it into their folders.
import { writeTemplate } from "../../src/db/pglite-template.ts";

export default async function setup(): Promise<void> {
  await writeTemplate();
}
