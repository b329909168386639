// PLACEHOLDER until the Slack adapter lands: replace this whole file.
import type { SlackConfig } from "../../config.ts";
import type { PlatformDeps } from "../index.ts";
import type { PlatformRuntime } from "../types.ts";

export function createSlackRuntime(_config: SlackConfig, _deps: PlatformDeps): PlatformRuntime {
  throw new Error("Slack adapter not built yet");
}
