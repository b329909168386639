// Benchmark: signed `/customer log` requests over loopback (autocannon) through the real Bolt HTTP
// receiver of the compiled server into PostgreSQL, against a bare Bolt app (the same receiver, a
// listener that only acks) measured in the same run: requests/s and p50/p99 ack latency of each,
// and whether the work behind the acks (the interaction written, the answer posted) kept up.
// Four processes besides PostgreSQL: this one only generates and times the load; the fake Slack
// that receives every answer runs in its own (bench/slack-child.ts), since in this process its
// work delayed the timing of our bot's acks but not the bare app's, which posts no answers; and
// the two servers under test, both running throughout. The steady rate is measured in turns (the
// bot, then the bare app, five times), so that a busy moment of this shared machine falls on both
// alike. At the steady rate every answer is checked to be a logged interaction, not an apology; at
// full load the commands the bot refused as over its backlog (COMMAND_BACKLOG) are counted apart.
// BENCH_SECONDS shortens the runs; BENCH_BOT_LOG=<file> keeps the bot's log lines; BENCH_TIMELINE=<file>
// writes each steady request's send time, latency and connection; COMMAND_THREAD=off
// runs the bot's commands in the thread that acks.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createWriteStream, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import autocannon from "autocannon";
import { translate } from "../src/i18n/index.ts";
import { slackSignature } from "../test/fakes/slack-api.ts";
import { type SlackPerson, slashCommand, triggerId } from "../test/fakes/slack-payloads.ts";
import { createPostgresDatabase, dropPostgresDatabase } from "../test/support/database.ts";
import { until } from "../test/support/poll.ts";
import { type Paced, pacedLoad, percentile } from "./paced-load.ts";
import type { AnswerCount } from "./slack-child.ts";

const SECRET = "bench-signing-secret";
const BUSY = translate("en", "error.busy");
const USERS = 50;
/** The target: 300 requests/s with p99 under 100 ms, within 2x of the bare app. */
const TARGET_RATE = 300;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
/** The steady rate is measured in turns, the bot's and the bare app's, so that both meet the same moments of a busy machine. */
const TURNS = 5;
const CONNECTIONS = 32;

interface Load {
  rps: number;
  p50: number;
  p99: number;
  acked: number;
  failed: number;
}

interface Server {
  url: string;
  child: ChildProcess;
}

const person = (i: number): SlackPerson => ({
  team: "T0BENCH",
  user: `U0BENCH${String(i).padStart(3, "0")}`,
  name: `rep${i}`,
  channel: "C0BENCH",
});

/** The fake Slack in its own process: where the bot's Web API calls and answers go. */
interface Fake {
  url: string;
  apiUrl: string;
  child: ChildProcess;
  count(): Promise<AnswerCount>;
}

async function startFake(): Promise<Fake> {
  const users = Array.from({ length: USERS }, (_, i) => ({ id: person(i).user, name: person(i).name }));
  const child = spawn(process.execPath, ["--import", "tsx", "bench/slack-child.ts"], {
    env: { PATH: process.env.PATH ?? "", BENCH_USERS: JSON.stringify(users) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("message", (message) => resolve((message as { url: string }).url));
    child.once("exit", (code) => reject(new Error(`the fake Slack exited with ${code}`)));
  });
  const count = () =>
    new Promise<AnswerCount>((resolve) => {
      child.once("message", (message) => resolve(message as AnswerCount));
      child.send("count");
    });
  return { url, apiUrl: `${url}/api/`, child, count };
}

async function stopFake(fake: Fake): Promise<void> {
  const exited = new Promise((resolve) => fake.child.once("exit", resolve));
  fake.child.disconnect();
  await exited;
}

function signed(fake: Fake, who: SlackPerson, text: string) {
  const { body, contentType } = slashCommand(who, text, `${fake.url}/respond/${randomUUID()}`, triggerId());
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    "content-type": contentType,
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": slackSignature(SECRET, timestamp, body),
  };
  return { body, headers };
}

/** The i-th request: a new signed `/customer log`, a delivery of its own, so none is a repeat. */
const logCommand = (fake: Fake, i: number) => signed(fake, person(i % USERS), `log Bench${i % USERS} called about order ${i}`);

let sent = 0;

/** A steady `rate` of requests (open loop), as Slack's traffic arrives. */
function atRate(url: string, fake: Fake, rate: number, seconds: number): Promise<Paced> {
  return pacedLoad(`${url}/slack/events`, rate, seconds, () => logCommand(fake, sent++));
}

/** One Load of several runs: their requests and latencies together. */
function summed(runs: Paced[]): Load {
  const latencies = runs.flatMap((run) => run.latencies).sort((a, b) => a - b);
  const ok = runs.reduce((n, run) => n + run.ok, 0);
  return {
    rps: ok / runs.reduce((n, run) => n + run.seconds, 0),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    acked: ok,
    failed: runs.reduce((n, run) => n + run.failed, 0),
  };
}

/** As many requests as CONNECTIONS keep-alive connections can carry, each waiting for its answer (autocannon). */
async function atFullLoad(url: string, fake: Fake, seconds: number): Promise<Load & { refusedInAck: number }> {
  // A command refused as over the bot's backlog is answered in its acknowledgement, and by nothing after it.
  let refusedInAck = 0;
  const result = await autocannon({
    url: `${url}/slack/events`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        setupRequest: (request) => {
          const { body, headers } = logCommand(fake, sent++);
          return { ...request, method: "POST", body, headers };
        },
        onResponse: (_status, body) => {
          if (body.includes(BUSY)) refusedInAck++;
        },
      },
    ],
  });
  return {
    rps: result["2xx"] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    acked: result["2xx"],
    failed: result.non2xx + result.errors + result.timeouts,
    refusedInAck,
  };
}

function start(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
}

async function stop({ child }: Server): Promise<void> {
  child.kill("SIGTERM");
  if (child.exitCode === null) await new Promise((resolve) => child.once("exit", resolve));
}

async function startBot(port: number, databaseUrl: string, fake: Fake): Promise<Server> {
  // BENCH_CPU_PROF=<folder>: the bot writes a V8 CPU profile there when it stops (open it in Chrome's DevTools).
  const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // BENCH_BOT_NODE_FLAGS="--max-semi-space-size=32": V8 flags for the bot alone, to try GC settings.
  const flags = (process.env.BENCH_BOT_NODE_FLAGS ?? "").split(" ").filter(Boolean);
  const child = start([...profile, ...flags, "dist/main.js"], {
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: fake.apiUrl,
    SCHEDULER: "off",
    DEFAULT_LOCALE: "en",
    // What a deployment runs: a log line per request and per command, to a pipe.
    LOG_LEVEL: "info",
    // COMMAND_THREAD=off: the commands in the thread that acks, to compare.
    ...(process.env.COMMAND_THREAD ? { COMMAND_THREAD: process.env.COMMAND_THREAD } : {}),
  });
  if (process.env.BENCH_BOT_LOG) child.stdout?.pipe(createWriteStream(process.env.BENCH_BOT_LOG));
  else child.stdout?.resume();
  const url = `http://127.0.0.1:${port}`;
  await until(
    () =>
      fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      ),
    "the bot to start",
    60_000,
  );
  return { url, child };
}

async function startBare(port: number): Promise<Server> {
  const child = start(["bench/bare-bolt.mjs"], { PORT: String(port), SLACK_SIGNING_SECRET: SECRET });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
    child.once("exit", (code) => reject(new Error(`the bare Bolt app exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

/** CPU seconds a process (or, with `thread`, one of its threads) has used so far (Linux /proc; NaN elsewhere). */
async function cpuSeconds(pid: number | undefined, thread?: number): Promise<number> {
  const path = thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`;
  const stat = await readFile(path, "utf8").catch(() => "");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime, the 14th and 15th fields of the line, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Seconds after the run until every acknowledged command has been answered (the work behind it done). */
async function drained(fake: Fake, expected: number): Promise<number> {
  const started = performance.now();
  await until(async () => (await fake.count()).answered >= expected, "the bot to finish the commands it acknowledged", 600_000);
  return (performance.now() - started) / 1000;
}

/** A port nothing listens on now (the OS picks it), for a child process to take. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const times = (ours: number, bare: number) => `${(ours / Math.max(bare, 0.1)).toFixed(1)}x`;

export async function benchSlash(): Promise<string[]> {
  const fake = await startFake();
  const { url: databaseUrl, name } = await createPostgresDatabase();
  const lines: string[] = [];
  const servers: Server[] = [];
  try {
    const bot = await startBot(await freePort(), databaseUrl, fake);
    servers.push(bot);
    const bareServer = await startBare(await freePort());
    servers.push(bareServer);
    // One customer per rep, added through the bot itself.
    for (let i = 0; i < USERS; i++) {
      const { body, headers } = signed(fake, person(i), `add Bench${i} tier=normal`);
      await fetch(`${bot.url}/slack/events`, { method: "POST", body, headers });
    }
    await until(async () => (await fake.count()).answered >= USERS, "the customers to be added");
    // Both warmed at the measured rate: JIT, the user cache, and the bot's connection pool grown
    // to what that rate keeps open, so each is measured in its steady state.
    const warm = await atRate(bot.url, fake, TARGET_RATE, 3);
    await atRate(bareServer.url, fake, TARGET_RATE, 3);
    await drained(fake, USERS + warm.ok);

    // The steady rate in turns; each of the bot's turns waits until its commands are answered, so
    // that its work does not run into the bare app's turn.
    const before = await fake.count();
    const oursRated: Paced[] = [];
    const bareRated: Paced[] = [];
    let drainRated = 0;
    // The bot's CPU in all, and its main thread's alone (the thread that acks: its id is the process's).
    let cpu = 0;
    let mainCpu = 0;
    let bareCpu = 0;
    for (let turn = 0; turn < TURNS; turn++) {
      const answered = (await fake.count()).answered;
      const cpuBefore = await cpuSeconds(bot.child.pid);
      const mainBefore = await cpuSeconds(bot.child.pid, bot.child.pid);
      const run = await atRate(bot.url, fake, TARGET_RATE, SECONDS / TURNS);
      oursRated.push(run);
      drainRated = Math.max(drainRated, await drained(fake, answered + run.ok));
      cpu += (await cpuSeconds(bot.child.pid)) - cpuBefore;
      mainCpu += (await cpuSeconds(bot.child.pid, bot.child.pid)) - mainBefore;
      const bareBefore = await cpuSeconds(bareServer.child.pid);
      bareRated.push(await atRate(bareServer.url, fake, TARGET_RATE, SECONDS / TURNS));
      bareCpu += (await cpuSeconds(bareServer.child.pid)) - bareBefore;
    }
    const rated = summed(oursRated);
    // BENCH_TIMELINE=<file>: every request of the steady turns (its send, latency and connection), to find when the slow ones fell.
    if (process.env.BENCH_TIMELINE) {
      const turns = (runs: Paced[]) => runs.map(({ startedAt, timeline }) => ({ startedAt, requests: timeline }));
      writeFileSync(process.env.BENCH_TIMELINE, JSON.stringify({ bot: turns(oursRated), bare: turns(bareRated) }));
    }
    // Each turn's p99 against the bare app's turn after it: how much the machine's moments move the pooled figure.
    const spread = oursRated
      .map((run, i) => percentile(run.latencies, 99) / Math.max(0.1, percentile(bareRated[i]?.latencies ?? [], 99)))
      .sort((a, b) => a - b)
      .map((ratio) => `${ratio.toFixed(1)}x`);
    const cpuPerCommand = cpu / rated.acked;
    const mainCpuPerCommand = mainCpu / rated.acked;
    const bareCpuPerRequest = bareCpu / Math.max(1, summed(bareRated).acked);
    const between = await fake.count();
    const full = await atFullLoad(bot.url, fake, SECONDS);
    const drainFull = await drained(fake, between.answered + full.acked - full.refusedInAck);
    const after = await fake.count();
    const bare = { rated: summed(bareRated), full: await atFullLoad(bareServer.url, fake, SECONDS) };
    const ours = {
      rated,
      full,
      drainRated,
      drainFull,
      wrongRated: between.unexpected - before.unexpected + (between.busy - before.busy),
      wrongFull: after.unexpected - between.unexpected,
      busyFull: after.busy - between.busy + full.refusedInAck,
    };
    const loggedFull = full.acked - ours.busyFull - ours.wrongFull;
    const lastWrong = after.lastUnexpected;
    lines.push(
      `slash /customer log at ${TARGET_RATE}/s for ${SECONDS} s: ${rated.rps.toFixed(0)} req/s acked, p50 ${ms(rated.p50)}, p99 ${ms(rated.p99)} ` +
        `(${times(rated.p50, bare.rated.p50)} and ${times(rated.p99, bare.rated.p99)} the bare app's), ${rated.failed} failed; ` +
        `all ${rated.acked} answered at most ${ours.drainRated.toFixed(1)} s after a turn's load stopped, ${ours.wrongRated} of them not logged ` +
        `(the bot's own CPU: ${(cpuPerCommand * 1000).toFixed(1)} ms a command, ${(mainCpuPerCommand * 1000).toFixed(2)} ms of it in the thread that acks) ` +
        `| bare Bolt app ${bare.rated.rps.toFixed(0)} req/s, p50 ${ms(bare.rated.p50)}, p99 ${ms(bare.rated.p99)}, ${(bareCpuPerRequest * 1000).toFixed(2)} ms of CPU a request`,
      `slash /customer log at full load (${CONNECTIONS} connections, ${SECONDS} s): ${full.rps.toFixed(0)} req/s acked ` +
        `(${(full.rps / bare.full.rps).toFixed(2)}x the bare app's), p50 ${ms(full.p50)}, p99 ${ms(full.p99)}, ${full.failed} failed; ` +
        `all ${full.acked} answered ${ours.drainFull.toFixed(1)} s after the load stopped: ${loggedFull} logged, ` +
        `${ours.busyFull} refused as over the backlog (try again; ${full.refusedInAck} of them in the acknowledgement), ${ours.wrongFull} otherwise not logged; ` +
        `${(loggedFull / (SECONDS + ours.drainFull)).toFixed(0)} commands/s logged end to end ` +
        `| bare Bolt app ${bare.full.rps.toFixed(0)} req/s, p50 ${ms(bare.full.p50)}, p99 ${ms(bare.full.p99)}`,
      // Capacity is the full-load rate; latency is judged at the target rate, as a deployment would see it.
      `slash targets: >= ${TARGET_RATE} req/s ${full.rps >= TARGET_RATE ? "met" : "NOT met"}, p99 < 100 ms at ${TARGET_RATE}/s ${rated.p99 < 100 ? "met" : "NOT met"}; ` +
        `ack latency within 2x of the bare app's ${rated.p99 <= 2 * Math.max(bare.rated.p99, 1) ? "met" : "NOT met"} ` +
        `(p99 ${times(rated.p99, bare.rated.p99)}; the turns' p99s, lowest to highest: ${spread.join(", ")})`,
    );
    if (ours.wrongRated + ours.wrongFull > 0) lines.push(`slash: an answer that was not a logged interaction: ${lastWrong}`);
  } finally {
    for (const server of servers) await stop(server);
    await stopFake(fake);
    await dropPostgresDatabase(name);
  }
  for (const line of lines) console.log(line);
  return lines;
}
