// `cli sweep [--dry-run]`: the morning sweep on demand. Terminal workspaces get their DMs printed;
// Slack and Feishu workspaces get theirs through the configured platforms.
import type { Core } from "../../app.ts";
import type { PlannedNudge } from "../../domain/nudges/plan.ts";
import { createMetrics } from "../../metrics.ts";
import { renderNudge } from "../../scheduler/render.ts";
import { sweepAll } from "../../scheduler/sweep.ts";
import { createWebServer } from "../../web/server.ts";
import { createPlatforms } from "../index.ts";
import { terminalMessenger } from "./messenger.ts";
import { renderText } from "./render.ts";

export async function sweepFromTerminal(core: Core, dryRun: boolean): Promise<number> {
  const metrics = createMetrics();
  // The platforms are built for their senders only: nothing listens and nothing connects.
  const platforms = dryRun
    ? []
    : await createPlatforms(core.config, { core, metrics, web: createWebServer({ db: core.db, logger: core.logger, metrics }) });
  const messengers = { cli: terminalMessenger(), ...Object.fromEntries(platforms.map((p) => [p.platform, p.messenger])) };
  const results = await sweepAll({ deps: core.deps, logger: core.logger, metrics, db: core.db, messengers }, { dryRun });
  if (results.length === 0) console.log("No workspaces yet.");
  for (const r of results) {
    const name = `${r.workspace.platform}:${r.workspace.name || r.workspace.externalId}`;
    if (r.error) {
      console.log(`${name}: failed: ${r.error}`);
      continue;
    }
    if (r.plan?.skipped && r.plan.planned === 0) {
      console.log(
        `${name}: nothing to send on ${r.plan.day} (${r.plan.skipped === "notWorkday" ? "not a working day" : "before the nudge hour"})`,
      );
      continue;
    }
    if (dryRun && r.plan) {
      console.log(`${name}: would send ${r.plan.planned} messages for ${r.plan.day}`);
      await printPlanned(core, r.workspace.id, r.plan.nudges ?? []);
      continue;
    }
    const d = r.delivery;
    console.log(
      `${name}: recorded ${r.recorded} new; sent ${d?.sent ?? 0}, retrying ${d?.retrying ?? 0}, failed ${d?.failed ?? 0}`,
    );
  }
  return results.some((r) => r.error) ? 1 : 0;
}

async function printPlanned(core: Core, workspaceId: string, planned: PlannedNudge[]) {
  const workspace = await core.deps.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
  const members = new Map(
    (await core.deps.prisma.member.findMany({ where: { id: { in: planned.map((p) => p.recipientId) } } })).map((m) => [m.id, m]),
  );
  for (const p of planned) {
    const recipient = members.get(p.recipientId);
    if (!recipient) continue;
    const reply = renderNudge(workspace, recipient, p);
    if (reply) console.log(`\n── ${p.kind} → @${recipient.displayName} ──\n${renderText(reply, "customer")}`);
  }
}
