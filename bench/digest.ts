// Benchmark: the weekly digest on PostgreSQL (one manager's team of 50 reps, the whole workspace,
// and planning every manager's digest), on the sweep benchmark's workspace plus a fortnight of
// interactions, surveys, feedback and opportunities, against a count(*) floor over the same rows.
import pg from "pg";
import { openDatabase } from "../src/db/client.ts";
import { computeDigest, periodEndingOn, teamScope } from "../src/domain/digest.ts";
import { planDigests } from "../src/domain/nudges/digests.ts";
import { workspaceSettings } from "../src/domain/workspaces.ts";
import { createPostgresDatabase, dropPostgresDatabase } from "../test/support/database.ts";
import { seedWorkspace } from "./seed.ts";

const REPS = 2_000;
const MONDAY = "2026-11-23";

/** Three interactions per customer in the fortnight, a survey for one in four, feedback and a deal for one in ten. */
async function seedFortnight(url: string, workspaceId: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const from = "timestamp '2026-11-08 16:00'";
  try {
    await client.query(
      `insert into "Interaction" (id, "workspaceId", "customerId", kind, summary, "occurredAt", source, "sourceRef")
       select gen_random_uuid(), $1, c.id, 'call', 'called', ${from} + interval '1 hour' * ((g * 97 + n * 31) % 336), 'bench2', c.id::text || ':' || n
       from (select id, row_number() over () g from "Customer" where "workspaceId" = $1) c, generate_series(1, 3) n`,
      [workspaceId],
    );
    await client.query(
      `insert into "Survey" (id, "workspaceId", "customerId", "tokenHash", locale, "expiresAt", csat, nps, "respondedAt", "createdAt")
       select gen_random_uuid(), $1, c.id, md5(c.id::text), 'en', ${from} + interval '30 days',
              case when g % 3 = 0 then null else 1 + g % 5 end, case when g % 3 = 0 then null else g % 11 end,
              case when g % 3 = 0 then null else ${from} + interval '1 hour' * (g % 330) + interval '4 hours' end,
              ${from} + interval '1 hour' * (g % 330)
       from (select id, row_number() over () g from "Customer" where "workspaceId" = $1) c where g % 4 = 0`,
      [workspaceId],
    );
    await client.query(
      `insert into "Feedback" (id, "workspaceId", "customerId", "ownerId", text, status, "resolvedAt", "createdAt")
       select gen_random_uuid(), $1, c.id, c."ownerId", 'slow replies', case when g % 2 = 0 then 'resolved' else 'open' end::"FeedbackStatus",
              case when g % 2 = 0 then ${from} + interval '1 hour' * (g % 300) + interval '30 hours' end, ${from} + interval '1 hour' * (g % 300)
       from (select id, "ownerId", row_number() over () g from "Customer" where "workspaceId" = $1) c where g % 10 = 0`,
      [workspaceId],
    );
    await client.query(
      `insert into "Opportunity" (id, "workspaceId", "customerId", "ownerId", title, stage, amount, "createdAt", "updatedAt")
       select gen_random_uuid(), $1, c.id, c."ownerId", 'deal', (array['meet','discover','confirm','needs','quote','commitment','acceptance'])[1 + g % 7]::"FunnelStage",
              1000 * (g % 50), ${from} - interval '10 days', now()
       from (select id, "ownerId", row_number() over () g from "Customer" where "workspaceId" = $1) c where g % 10 = 3`,
      [workspaceId],
    );
    await client.query("analyze");
  } finally {
    await client.end();
  }
}

async function floorMs(url: string, workspaceId: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  await client.query(
    `select (select count(*) from "Interaction" where "workspaceId" = $1), (select count(*) from "Survey" where "workspaceId" = $1),
            (select count(*) from "Feedback" where "workspaceId" = $1), (select count(*) from "Opportunity" where "workspaceId" = $1)`,
    [workspaceId],
  );
  const ms = performance.now() - started;
  await client.end();
  return ms;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

export async function benchDigest(sizes: number[]): Promise<string[]> {
  const lines: string[] = [];
  for (const customers of sizes) {
    const { url, name } = await createPostgresDatabase();
    try {
      const db = await openDatabase({ url, dataDir: "", poolSize: 4 });
      await db.migrate();
      const { workspaceId } = await seedWorkspace(url, customers, REPS);
      await seedFortnight(url, workspaceId);
      const clock = { now: () => new Date(`${MONDAY}T02:00:00Z`) };
      const deps = { prisma: db.prisma, clock };
      const workspace = await db.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
      const period = periodEndingOn(MONDAY, workspace.timeZone);
      const manager = await db.prisma.member.findFirstOrThrow({
        where: { workspaceId, role: "manager" },
        orderBy: { externalId: "asc" },
      });
      const scope = await teamScope(deps, workspaceId, manager);
      await computeDigest(deps, workspace, scope, period); // warm the cache
      const floor = Math.min(...(await Promise.all([1, 2, 3].map(() => floorMs(url, workspaceId)))));
      const team = (await timed(() => computeDigest(deps, workspace, scope, period))).ms;
      const whole = (await timed(() => computeDigest(deps, workspace, { kind: "workspace" }, period))).ms;
      const plan = await timed(() => planDigests(deps, workspace, workspaceSettings(workspace)));
      const line =
        `digest ${customers.toLocaleString("en")} customers / ${REPS} reps: one team of ${scope.kind === "team" ? scope.memberIds.length : 0} ${(team / 1000).toFixed(2)} s, ` +
        `whole workspace ${(whole / 1000).toFixed(2)} s, all ${plan.value.length} managers' digests planned ${(plan.ms / 1000).toFixed(2)} s ` +
        `| floor (counting the rows read) ${(floor / 1000).toFixed(3)} s`;
      console.log(line);
      lines.push(line);
      await db.close();
    } finally {
      await dropPostgresDatabase(name);
    }
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchDigest((process.env.BENCH_SIZES ?? "10000,100000").split(",").map(Number));
}
