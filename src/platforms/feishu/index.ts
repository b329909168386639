// PLACEHOLDER until the Feishu adapter lands: replace this whole file.
import type { FeishuConfig } from "../../config.ts";
import type { PlatformDeps } from "../index.ts";
import type { PlatformRuntime } from "../types.ts";

export function createFeishuRuntime(_config: FeishuConfig, _deps: PlatformDeps): PlatformRuntime {
  throw new Error("Feishu adapter not built yet");
}
