// The long connection's frame (the SDK's pbbp2.Frame protobuf message), encoded and decoded by hand.

export interface FrameHeader {
  key: string;
  value: string;
}

export interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  /** 0: control (ping, pong), 1: data (events and their answers). */
  method: number;
  headers: FrameHeader[];
  payloadEncoding?: string;
  payloadType?: string;
  payload?: Uint8Array;
  LogIDNew?: string;
}

const VARINT = 0;
const BYTES = 2;

export function encodeFrame(frame: Frame): Buffer {
  const out: number[] = [];
  varintField(out, 1, frame.SeqID);
  varintField(out, 2, frame.LogID);
  varintField(out, 3, frame.service);
  varintField(out, 4, frame.method);
  for (const header of frame.headers) {
    const inner: number[] = [];
    bytesField(inner, 1, Buffer.from(header.key));
    bytesField(inner, 2, Buffer.from(header.value));
    bytesField(out, 5, Buffer.from(inner));
  }
  if (frame.payloadEncoding !== undefined) bytesField(out, 6, Buffer.from(frame.payloadEncoding));
  if (frame.payloadType !== undefined) bytesField(out, 7, Buffer.from(frame.payloadType));
  if (frame.payload !== undefined) bytesField(out, 8, Buffer.from(frame.payload));
  if (frame.LogIDNew !== undefined) bytesField(out, 9, Buffer.from(frame.LogIDNew));
  return Buffer.from(out);
}

export function decodeFrame(bytes: Uint8Array): Frame {
  const frame: Frame = { SeqID: 0, LogID: 0, service: 0, method: 0, headers: [] };
  const reader = new Reader(bytes);
  while (!reader.done()) {
    const tag = reader.varint();
    const field = tag >> 3;
    if ((tag & 7) === VARINT) {
      const value = reader.varint();
      if (field === 1) frame.SeqID = value;
      else if (field === 2) frame.LogID = value;
      else if (field === 3) frame.service = value;
      else if (field === 4) frame.method = value;
      continue;
    }
    if ((tag & 7) !== BYTES) throw new Error(`unexpected wire type ${tag & 7}`);
    const value = reader.bytes();
    if (field === 5) frame.headers.push(decodeHeader(value));
    else if (field === 6) frame.payloadEncoding = Buffer.from(value).toString();
    else if (field === 7) frame.payloadType = Buffer.from(value).toString();
    else if (field === 8) frame.payload = value;
    else if (field === 9) frame.LogIDNew = Buffer.from(value).toString();
  }
  return frame;
}

export function headerOf(frame: Frame, key: string): string | undefined {
  return frame.headers.find((h) => h.key === key)?.value;
}

function decodeHeader(bytes: Uint8Array): FrameHeader {
  const header: FrameHeader = { key: "", value: "" };
  const reader = new Reader(bytes);
  while (!reader.done()) {
    const field = reader.varint() >> 3;
    const value = Buffer.from(reader.bytes()).toString();
    if (field === 1) header.key = value;
    else if (field === 2) header.value = value;
  }
  return header;
}

function varintField(out: number[], field: number, value: number): void {
  writeVarint(out, (field << 3) | VARINT);
  writeVarint(out, value);
}

function bytesField(out: number[], field: number, value: Uint8Array): void {
  writeVarint(out, (field << 3) | BYTES);
  writeVarint(out, value.length);
  out.push(...value);
}

function writeVarint(out: number[], value: number): void {
  let v = BigInt(value);
  while (v > 127n) {
    out.push(Number(v & 127n) | 128);
    v >>= 7n;
  }
  out.push(Number(v));
}

class Reader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}
  done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): number {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = this.buf[this.pos++];
      if (byte === undefined) throw new Error("truncated varint");
      result |= BigInt(byte & 127) << shift;
      if (byte < 128) return Number(result);
      shift += 7n;
    }
  }
  bytes(): Uint8Array {
    const length = this.varint();
    const value = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return value;
  }
}
