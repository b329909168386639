// An open-loop load at a steady rate: one request every 1/rate seconds over keep-alive connections,
// whatever the answers do, each latency taken from its own send to its own answer. (autocannon's
// rate limit sends each second's quota back to back and then waits, which measures a burst.)
import { Agent, request } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

export interface Paced {
  sent: number;
  ok: number;
  failed: number;
  seconds: number;
  /** Milliseconds, sorted. */
  latencies: number[];
  /** Each request's send (from the run's start) and latency, in milliseconds, and its connection's local port, in the order answered. */
  timeline: [number, number, number][];
  /** When the run began, in milliseconds of the system's monotonic clock (what `perf -k mono` records). */
  startedAt: number;
}

export interface OutgoingRequest {
  body: string;
  headers: Record<string, string>;
}

export async function pacedLoad(url: string, rate: number, seconds: number, next: () => OutgoingRequest): Promise<Paced> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL(url);
  const latencies: number[] = [];
  const timeline: [number, number, number][] = [];
  const running = new Set<Promise<void>>();
  let ok = 0;
  let failed = 0;
  const send = () => {
    const { body, headers } = next();
    const started = performance.now();
    const done = new Promise<void>((resolve) => {
      const out = request(
        target,
        { method: "POST", agent, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } },
        (res) => {
          const port = res.socket?.localPort ?? 0;
          res.resume();
          res.on("end", () => {
            latencies.push(performance.now() - started);
            timeline.push([started - runStarted, performance.now() - started, port]);
            if (res.statusCode === 200) ok++;
            else failed++;
            resolve();
          });
        },
      );
      out.on("error", () => {
        failed++;
        resolve();
      });
      out.end(body);
    });
    running.add(done);
    void done.then(() => running.delete(done));
  };
  const runStarted = performance.now();
  const startedAt = Number(process.hrtime.bigint() / 1000n) / 1000;
  let sent = 0;
  for (;;) {
    const elapsed = performance.now() - runStarted;
    if (elapsed >= seconds * 1000) break;
    const due = Math.floor((elapsed / 1000) * rate);
    while (sent < due) {
      send();
      sent++;
    }
    await sleep(1);
  }
  await Promise.all(running);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { sent, ok, failed, seconds: (performance.now() - runStarted) / 1000, latencies, timeline, startedAt };
}

/** The value below which `p` percent of the sorted latencies fall. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}
