// Loads Prisma's WebAssembly schema engine, which applies and diffs migrations without the
// native binary that the Prisma CLI would download from Prisma's own host.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";

type Bindings = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");

// Node has WebAssembly, but the ES lib types this project compiles against do not describe it.
const wasm = (
  globalThis as unknown as {
    WebAssembly: { instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: unknown } }> };
  }
).WebAssembly;

let bindings: Promise<Bindings> | undefined;

// The package's entry imports a .wasm file directly, which Node cannot do; instantiate the
// module ourselves and hand its exports to the generated glue code.
function loadBindings(): Promise<Bindings> {
  bindings ??= (async () => {
    const bg: Bindings = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const glue = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(path.join(path.dirname(glue), "schema_engine_bg.wasm"));
    const { instance } = await wasm.instantiate(bytes, { "./schema_engine_bg.js": bg });
    const exports = instance.exports as unknown as Parameters<Bindings["__wbg_set_wasm"]>[0] & {
      __wbindgen_start: () => void;
    };
    bg.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
    return bg;
  })();
  return bindings;
}

/**
 * Runs `fn` with a schema engine on the factory's database, then closes every connection the
 * engine opened. The engine holds PostgreSQL's migration advisory lock on its connection and
 * does not release it when freed, so the pools must be ended here or the next replica waits.
 */
export async function withSchemaEngine<T>(
  schema: string,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  fn: (engine: SchemaEngine) => Promise<T>,
  log: (message: string) => void = () => {},
): Promise<T> {
  const bg = await loadBindings();
  const opened: { dispose(): Promise<void> }[] = [];
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: adapterFactory.provider,
    adapterName: adapterFactory.adapterName,
    connect: async () => {
      const adapter = await adapterFactory.connect();
      opened.push(adapter);
      return adapter;
    },
    connectToShadowDb: async () => {
      const adapter = await adapterFactory.connectToShadowDb();
      opened.push(adapter);
      return adapter;
    },
  };
  const engine = await bg.SchemaEngine.new(
    { datamodels: [["schema.prisma", schema]] },
    (message: string) => log(message),
    bindMigrationAwareSqlAdapterFactory(tracked),
  );
  try {
    return await fn(engine);
  } finally {
    engine.free();
    await Promise.allSettled(opened.map((adapter) => adapter.dispose()));
  }
}
