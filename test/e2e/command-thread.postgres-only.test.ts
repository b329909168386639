// On PostgreSQL commands run in a worker thread of their own (src/command-thread): the main thread
// only verifies, acknowledges and delivers. What that must not change, and what happens when the
// thread ends unexpectedly.
import { readdirSync, readFileSync } from "node:fs";
import type { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotHarness } from "./bot-harness.ts";

let h: BotHarness;
beforeAll(async () => {
  h = await BotHarness.start();
});
afterAll(() => h.stop());

const health = async () => {
  const response = await fetch(`${h.url}/healthz`);
  return { status: response.status, body: (await response.json()) as { commandThread?: { status: string } } };
};

/** This process's threads as Linux schedules them: nice value and policy (0 ordinary, 5 idle). */
function threads(): { tid: number; nice: number; policy: number }[] {
  return readdirSync("/proc/self/task").flatMap((tid) => {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    } catch {
      return []; // a thread that ended while they were listed
    }
    // The fields after the command's name: the 19th (nice) and the 41st (policy) of the line.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return [{ tid: Number(tid), nice: Number(fields[16]), policy: Number(fields[38]) }];
  });
}
const IDLE_CLASS = 5;

describe("the command thread", () => {
  it("runs the commands, counts them once on /metrics beside the process's own figures, and logs through the main thread", async () => {
    expect(h.server.commandThread).toBeDefined();
    await h.waitFor(async () => (await health()).body.commandThread?.status === "ok");
    const added = 'crm_commands_total{platform="slack",verb="add",outcome="ok"}';
    const before = await h.metric(added);
    const alice = h.person();
    const sent = await h.command(alice, "add Threaded Co tier=key");
    expect(sent.status).toBe(200);
    const post = await h.waitFor(() => h.slack.postsTo(sent.replyTo)[0]);
    expect(JSON.stringify(post.body)).toContain("Added *Threaded Co* as a key customer.");
    // Counted in the thread, summed into the main registry's text once.
    expect(await h.metric(added)).toBe(before + 1);
    const text = await (await fetch(`${h.url}/metrics`)).text();
    expect(text.split("\n").filter((line) => line.startsWith("process_cpu_seconds_total ")).length).toBe(1);
    // The main registry's own figures pass through whole, those the aggregator would leave out included.
    expect(text.split("\n").filter((line) => line.startsWith("process_start_time_seconds ")).length).toBe(1);
    expect(text.split("\n").filter((line) => line.startsWith("# TYPE crm_commands_total ")).length).toBe(1);
    // The thread's line about the command reached the main thread's log, naming the request.
    const line = await h.waitFor(() => h.lines().find((l) => l.msg === "command" && l.requestId === sent.requestId));
    expect(line).toMatchObject({ verb: "add", outcome: "ok", source: "slack" });
  });

  it("tells the user to look before trying again when it ended under their command, and runs the next in a new thread", async () => {
    const bob = h.person();
    const added = 'crm_commands_total{platform="slack",verb="add",outcome="ok"}';
    const addedBefore = await h.metric(added);
    // The command waits in the thread on Slack's users.info while the thread is ended under it.
    h.slack.slowDown("users.info", 5_000);
    const calls = h.slack.callsTo("users.info").length;
    const sent = await h.command(bob, "add Crashed Co tier=key");
    expect(sent.status).toBe(200);
    await h.waitFor(() => h.slack.callsTo("users.info").length > calls);
    // /metrics shows the command held, and for how long (not the scrape's own reading of the thread).
    const held = await (await fetch(`${h.url}/metrics`)).text();
    expect(held).toMatch(/^crm_command_thread_waiting 1$/m);
    const oldest = Number(held.match(/^crm_command_thread_oldest_wait_seconds (\S+)$/m)?.[1]);
    expect(oldest).toBeGreaterThan(0);
    expect(oldest).toBeLessThan(60);
    const worker = (h.server.commandThread as unknown as { worker: Worker }).worker;
    await worker.terminate();

    // It may have written before it ended (not here: it was waiting on users.info), so the answer
    // does not say that nothing was saved.
    const apology = await h.waitFor(() => h.slack.postsTo(sent.replyTo)[0]);
    expect(JSON.stringify(apology.body)).toContain("Your command was cut off on our side, and may or may not have been saved.");
    expect(await h.server.core.deps.prisma.customer.count({ where: { name: "Crashed Co" } })).toBe(0);
    expect(h.lines().some((l) => l.msg === "command thread: stopped unexpectedly")).toBe(true);

    // Another thread starts by itself after a pause; /healthz says so meanwhile.
    h.slack.slowDown("users.info", 0);
    await h.waitFor(async () => {
      const now = await health();
      return now.status === 200 && now.body.commandThread?.status === "ok";
    });
    const again = await h.command(bob, "add Crashed Co tier=key");
    const post = await h.waitFor(() => h.slack.postsTo(again.replyTo)[0]);
    expect(JSON.stringify(post.body)).toContain("Added *Crashed Co* as a key customer.");
    expect(await h.server.core.deps.prisma.customer.count({ where: { name: "Crashed Co" } })).toBe(1);
    // The ended thread's counts are kept: the counter goes on from where it was, not from zero.
    expect(await h.metric(added)).toBe(addedBefore + 1);
    const after = await (await fetch(`${h.url}/metrics`)).text();
    expect(after).toMatch(/^crm_command_thread_waiting 0$/m);
    expect(after).toMatch(/^crm_command_thread_oldest_wait_seconds 0$/m);
  });

  it.skipIf(process.platform !== "linux")("runs at nice 10 in the ordinary class, and the main thread at nice 0", async () => {
    await h.waitFor(async () => (await health()).body.commandThread?.status === "ok");
    // The thread says where it runs, and Linux agrees: one thread of this process at nice 10, none in the idle class.
    expect(
      h
        .lines()
        .filter((l) => l.msg === "command thread: ready")
        .at(-1),
    ).toMatchObject({ priority: "nice 10" });
    const niced = threads().filter((t) => t.nice === 10);
    expect(niced.map(({ nice, policy }) => ({ nice, policy }))).toEqual([{ nice: 10, policy: 0 }]);
    expect(niced[0]?.tid).not.toBe(process.pid);
    expect(threads().filter((t) => t.policy === IDLE_CLASS)).toEqual([]);
    expect(threads().find((t) => t.tid === process.pid)).toMatchObject({ nice: 0, policy: 0 });
  });
});

describe.skipIf(process.platform !== "linux")("the command thread with COMMAND_THREAD_PRIORITY=idle", () => {
  let idle: BotHarness;
  beforeAll(async () => {
    idle = await BotHarness.start({ env: { COMMAND_THREAD_PRIORITY: "idle" } });
  });
  afterAll(() => idle.stop());

  it("runs in Linux's idle scheduling class at nice 10, and runs commands there", async () => {
    const ready = await idle.waitFor(() => idle.lines().find((l) => l.msg === "command thread: ready"));
    expect(ready).toMatchObject({ priority: "the idle class" });
    // The other harness's thread is in the ordinary class; this one's is the only one in the idle class.
    const inClass = threads().filter((t) => t.policy === IDLE_CLASS);
    expect(inClass.map(({ nice, policy }) => ({ nice, policy }))).toEqual([{ nice: 10, policy: IDLE_CLASS }]);
    expect(inClass[0]?.tid).not.toBe(process.pid);
    const sent = await idle.command(idle.person(), "add Idle Class Co tier=key");
    const post = await idle.waitFor(() => idle.slack.postsTo(sent.replyTo)[0]);
    expect(JSON.stringify(post.body)).toContain("Added *Idle Class Co* as a key customer.");
  });
});
