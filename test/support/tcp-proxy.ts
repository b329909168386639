// A TCP proxy between the bot and PostgreSQL that a test can hold (bytes stop flowing), cut (every
// connection dropped, new ones refused) and restore: the database going away without touching
// the shared PostgreSQL server itself.
import { connect, createServer, type Server, type Socket } from "node:net";

export class TcpProxy {
  /** Bytes from the bot that arrived while held: proof that a request was waiting on the database. */
  heldBytes = 0;
  private held = false;
  private holdMarker: string | undefined;
  private down = false;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket; queue: Buffer[] }>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = createServer((client) => proxy?.accept(client, target));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    proxy = new TcpProxy(server, typeof address === "object" && address ? address.port : 0);
    return proxy;
  }

  /** `url` with its host and port replaced by the proxy's. */
  url(url: string): string {
    const proxied = new URL(url);
    proxied.hostname = "127.0.0.1";
    proxied.port = String(this.port);
    return proxied.toString();
  }

  /** Stops forwarding what the bot sends; it waits as on a database that hangs. */
  hold(): void {
    this.held = true;
    this.heldBytes = 0;
  }

  /**
   * Forwards until the bot sends a message containing `marker` (a command's write, say), then
   * holds from that message on: the database never sees it, as if it hung just then.
   */
  holdAt(marker: string): void {
    this.holdMarker = marker;
    this.heldBytes = 0;
  }

  /** Drops every connection and refuses new ones, as a database that went away. */
  cut(): void {
    this.down = true;
    this.held = false;
    this.holdMarker = undefined;
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    this.pairs.clear();
  }

  restore(): void {
    this.down = false;
    this.held = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, target: { host: string; port: number }): void {
    if (this.down) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    const pair = { client, upstream, queue: [] as Buffer[] };
    this.pairs.add(pair);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    client.on("data", (chunk: Buffer) => {
      if (this.holdMarker && chunk.includes(this.holdMarker)) this.held = true;
      if (!this.held) {
        for (const queued of pair.queue.splice(0)) upstream.write(queued);
        upstream.write(chunk);
        return;
      }
      this.heldBytes += chunk.length;
      pair.queue.push(chunk);
    });
    upstream.on("data", (chunk: Buffer) => client.write(chunk));
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
  }
}
