// The server side of Feishu's long connection: a WebSocket (RFC 6455, written out here) that pushes
// events as protobuf frames and records what the SDK answers.
import { createHash } from "node:crypto";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { decodeFrame, encodeFrame, type Frame, headerOf } from "./feishu-frame.ts";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export interface Acknowledgement {
  messageId: string;
  /** The SDK's answer: {code: 200} or {code: 500}, with the handler's result in base64 `data`. */
  code: number;
  data: unknown;
}

export class LongConnectionFake {
  readonly acknowledgements: Acknowledgement[] = [];
  readonly pings: Frame[] = [];
  private readonly sockets = new Set<Duplex>();
  private sequence = 0;

  constructor(private readonly path: string) {}

  attach(server: Server): void {
    server.on("upgrade", (req: IncomingMessage, socket: Duplex) => this.upgrade(req, socket));
  }

  get connections(): number {
    return this.sockets.size;
  }

  /** Pushes an event to every connected client, as Feishu does to one of them. */
  push(payload: unknown): string {
    const messageId = `ws_msg_${++this.sequence}`;
    const frame: Frame = {
      SeqID: this.sequence,
      LogID: this.sequence,
      service: 1,
      method: 1,
      headers: [
        { key: "type", value: "event" },
        { key: "message_id", value: messageId },
        { key: "sum", value: "1" },
        { key: "seq", value: "0" },
        { key: "trace_id", value: `trace_${this.sequence}` },
      ],
      payload: Buffer.from(JSON.stringify(payload)),
    };
    for (const socket of this.sockets) send(socket, encodeFrame(frame));
    return messageId;
  }

  /** Drops every connection, as a gateway restart would. */
  disconnectAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  private upgrade(req: IncomingMessage, socket: Duplex): void {
    const url = new URL(req.url ?? "/", "http://localhost");
    const key = req.headers["sec-websocket-key"];
    if (url.pathname !== this.path || typeof key !== "string") {
      socket.destroy();
      return;
    }
    const accept = createHash("sha1")
      .update(key + GUID)
      .digest("base64");
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    this.sockets.add(socket);
    let buffered = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const parsed = readFrame(buffered);
        if (!parsed) break;
        buffered = buffered.subarray(parsed.length);
        this.receive(socket, parsed.opcode, parsed.payload);
      }
    });
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => this.sockets.delete(socket));
  }

  private receive(socket: Duplex, opcode: number, payload: Buffer): void {
    if (opcode === 8) {
      send(socket, Buffer.alloc(0), 8);
      socket.end();
      this.sockets.delete(socket);
      return;
    }
    if (opcode === 9) {
      send(socket, payload, 10);
      return;
    }
    if (opcode !== 2) return;
    const frame = decodeFrame(payload);
    if (frame.method === 0 && headerOf(frame, "type") === "ping") {
      this.pings.push(frame);
      const pong = { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 1, ReconnectNonce: 0 };
      send(
        socket,
        encodeFrame({ ...frame, headers: [{ key: "type", value: "pong" }], payload: Buffer.from(JSON.stringify(pong)) }),
      );
      return;
    }
    if (frame.method === 1) {
      const answer = JSON.parse(Buffer.from(frame.payload ?? []).toString() || "{}") as { code: number; data?: string };
      const data = answer.data ? JSON.parse(Buffer.from(answer.data, "base64").toString()) : undefined;
      this.acknowledgements.push({ messageId: headerOf(frame, "message_id") ?? "", code: answer.code, data });
    }
  }
}

/** One frame from the client (always masked), or null until all of it has arrived. */
function readFrame(buf: Buffer): { opcode: number; payload: Buffer; length: number } | null {
  if (buf.length < 2) return null;
  const opcode = (buf[0] as number) & 0x0f;
  const masked = ((buf[1] as number) & 0x80) !== 0;
  let length = (buf[1] as number) & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buf.length < 4) return null;
    length = buf.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buf.length < 10) return null;
    length = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  const mask = masked ? buf.subarray(offset, offset + 4) : null;
  if (masked) offset += 4;
  if (buf.length < offset + length) return null;
  const payload = Buffer.from(buf.subarray(offset, offset + length));
  if (mask) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] as number) ^ (mask[i % 4] as number);
  return { opcode, payload, length: offset + length };
}

/** A frame from the server: final, unmasked. */
function send(socket: Duplex, payload: Buffer, opcode = 2): void {
  const head =
    payload.length < 126
      ? Buffer.from([0x80 | opcode, payload.length])
      : payload.length < 65_536
        ? Buffer.concat([Buffer.from([0x80 | opcode, 126]), u16(payload.length)])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), u64(payload.length)]);
  if (!socket.destroyed) socket.write(Buffer.concat([head, payload]));
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}
