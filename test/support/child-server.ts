// Runs the bot as a process of its own (src/main.ts through tsx, as `npm run dev` does), with its
// JSON log lines collected, so that tests can signal it, kill it and start it again.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { until } from "./poll.ts";

const root = path.join(import.meta.dirname, "../..");

export class ChildServer {
  readonly lines: Record<string, unknown>[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly process: ChildProcess;

  private constructor(env: Record<string, string>) {
    this.process = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let partial = "";
    // Decoded by the stream, so that a character split between two chunks arrives whole.
    this.process.stdout?.setEncoding("utf8");
    this.process.stdout?.on("data", (chunk: string) => {
      const text = partial + chunk;
      const complete = text.split("\n");
      partial = complete.pop() ?? "";
      for (const line of complete) {
        try {
          this.lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          this.stderr.push(line);
        }
      }
    });
    this.process.stderr?.on("data", (chunk: Buffer) => this.stderr.push(chunk.toString("utf8")));
    this.exited = new Promise((resolve) => this.process.once("exit", (code, signal) => resolve({ code, signal })));
  }

  /** Starts the bot and waits until /healthz answers 200. */
  static async start(env: Record<string, string>): Promise<ChildServer> {
    const child = new ChildServer(env);
    await until(
      async () => {
        if (child.process.exitCode !== null)
          throw new Error(`the bot exited with ${child.process.exitCode}: ${child.stderr.join("")}`);
        const port = child.port;
        if (!port) return false;
        return fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
      },
      "the bot to answer /healthz",
      60_000,
    );
    return child;
  }

  get pid(): number {
    return this.process.pid ?? 0;
  }

  /** The port it listens on, from its start-up log line. */
  get port(): number | undefined {
    const line = this.lines.find((l) => typeof l.port === "number" && String(l.msg).startsWith("listening"));
    return line?.port as number | undefined;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  signal(signal: NodeJS.Signals): void {
    this.process.kill(signal);
  }

  /** Log lines whose message starts with `prefix`. */
  logged(prefix: string): Record<string, unknown>[] {
    return this.lines.filter((l) => String(l.msg).startsWith(prefix));
  }
}
