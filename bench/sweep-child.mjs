// Measured runs in a fresh process of the compiled server code (what `npm start` runs), so that its
// peak RSS is its own: the raw-SQL floor (one query for the overdue set), the plan (find and build
// the DMs, recording left out), or the whole sweep (plan, record, deliver to a platform that
// answers at once). The floor and the plan each run RUNS times: the first is what a freshly started
// process pays (query shapes compiled, code not yet optimised), the best of the others is what a
// running server pays each morning.
import pg from "pg";
import pino from "pino";
import { openDatabase } from "../dist/db/client.js";
import { planSweep } from "../dist/domain/nudges/plan.js";
import { addDays, localDay, zonedInstant } from "../dist/domain/time.js";
import { sweepAll } from "../dist/scheduler/sweep.js";

const RUNS = 4;
const [url, mode, workspaceId] = process.argv.slice(2);
// 10:00 in Shanghai on this week's Monday: after the nudge hour, on a working day, and before the
// seeded workspace's weekly digest (23:00), so that the revisit sweep is what is measured.
let today = localDay(new Date(), "Asia/Shanghai");
while (new Date(`${today}T00:00:00Z`).getUTCDay() !== 1) today = addDays(today, -1);
const now = zonedInstant(today, "Asia/Shanghai", 10);
const endOfDay = zonedInstant(addDays(today, 1), "Asia/Shanghai");
const clock = { now: () => now };

async function repeated(run) {
  const times = [];
  let rows = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    rows = await run();
    times.push(performance.now() - started);
  }
  return { first: times[0], ms: Math.min(...times.slice(1)), rows };
}

let result;
if (mode === "floor") {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const overdue = `select c.id, c."ownerId" from "Customer" c where c."workspaceId" = $1 and c."nextRevisitAt" < $2
     and (c."snoozedUntil" is null or c."snoozedUntil" < $2)`;
  result = await repeated(async () => (await client.query(overdue, [workspaceId, endOfDay])).rowCount ?? 0);
  await client.end();
} else {
  const db = await openDatabase({ url, dataDir: "", poolSize: 4 });
  const workspace = await db.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
  if (mode === "plan") {
    // Planned as the sweep plans, with the recording left out: finding and building only.
    result = await repeated(async () => (await planSweep({ prisma: db.prisma, clock }, workspace, async () => {})).planned);
  } else {
    let sent = 0;
    const platform = { sendDirect: async () => String(++sent), postToChannel: async () => "" };
    const started = performance.now();
    await sweepAll(
      { deps: { prisma: db.prisma, clock }, logger: pino({ level: "silent" }), db, messengers: { slack: platform } },
      { workspaceIds: [workspaceId] },
    );
    result = { ms: performance.now() - started, rows: sent };
  }
  await db.close();
}
process.stdout.write(JSON.stringify({ ...result, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
