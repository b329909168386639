import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { describe, expect, it } from "vitest";
import { listMigrations, pendingSchemaChange } from "../../src/db/migrations.ts";

describe("migrations", () => {
  it("schema.prisma and the committed migrations describe the same database", async () => {
    const shadow = await PGlite.create();
    try {
      const drift = await pendingSchemaChange(new PrismaPGlite(shadow));
      expect(drift, "schema.prisma changed without a migration: run npm run db:migration -- <name>").toBe("");
    } finally {
      await shadow.close();
    }
  });

  it("every migration folder holds a readable migration.sql, in name order", async () => {
    const list = await listMigrations();
    expect(list.migrationDirectories.length).toBeGreaterThan(0);
    for (const dir of list.migrationDirectories) expect(dir.migrationFile.content.tag).toBe("ok");
    const names = list.migrationDirectories.map((d) => d.path);
    expect(names).toEqual([...names].sort());
    expect(list.lockfile.content).toContain('provider = "postgresql"');
  });
});
