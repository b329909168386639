// Values that ride on buttons and menu options, within Slack's length limits: plain when they
// fit, deflated when that makes them fit, and refused (undefined) when nothing does.
import { deflateRawSync, inflateRawSync } from "node:zlib";

const packed = "z:";

export function packValue(value: string, max: number): string | undefined {
  if (value.length <= max && !value.startsWith(packed)) return value;
  const squeezed = packed + deflateRawSync(Buffer.from(value, "utf8")).toString("base64");
  return squeezed.length <= max ? squeezed : undefined;
}

export function unpackValue(value: string): string {
  if (!value.startsWith(packed)) return value;
  try {
    return inflateRawSync(Buffer.from(value.slice(packed.length), "base64")).toString("utf8");
  } catch {
    // Not ours after all: a value that merely starts with "z:" is taken as it is.
    return value;
  }
}
