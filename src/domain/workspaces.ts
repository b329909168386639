// Workspaces: one per Slack team, Feishu tenant, or the terminal; created when first seen.
import type { Platform, Workspace } from "../generated/prisma/client.ts";
import type { DomainDeps } from "./deps.ts";
import { readSettings, type Settings, settingsSchema } from "./settings.ts";

export interface WorkspaceDefaults {
  name?: string;
  timeZone: string;
  locale: "en" | "zh";
}

export async function ensureWorkspace(
  deps: DomainDeps,
  platform: Platform,
  externalId: string,
  defaults: WorkspaceDefaults,
  /** The workspace as already read (findActor), so that it is not looked up again. */
  read?: Workspace,
): Promise<Workspace> {
  // Every command passes here; an upsert would be a transaction of several statements each time.
  const known = read ?? (await deps.prisma.workspace.findUnique({ where: { platform_externalId: { platform, externalId } } }));
  if (known && (!defaults.name || defaults.name === known.name)) return known;
  return deps.prisma.workspace.upsert({
    where: { platform_externalId: { platform, externalId } },
    update: defaults.name ? { name: defaults.name } : {},
    create: {
      platform,
      externalId,
      name: defaults.name ?? "",
      timeZone: defaults.timeZone,
      locale: defaults.locale,
      settings: settingsSchema.parse({}),
    },
  });
}

export function workspaceSettings(workspace: Pick<Workspace, "settings">): Settings {
  return readSettings(workspace.settings);
}
