// The replies' small markdown in Slack's mrkdwn: **bold** -> *bold*, [label](url) -> <url|label>,
// <@id|name> -> <@id>; everything else escaped, so user text can neither ping @here nor forge links.

// Our markup, in the order it is tried: bold, link, member mention, channel mention.
const markup = /\*\*(.+?)\*\*|\[([^\]\n]+)\]\(([^)\s]+)\)|<@([A-Z0-9]+)(?:\|[^>]*)?>|<#([A-Z0-9]+)(?:\|([^>|]*))?>/gs;

export function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function toMrkdwn(text: string): string {
  let out = "";
  let last = 0;
  for (const match of text.matchAll(markup)) {
    const [whole, bold, label, url, member, channel, channelName] = match;
    const at = match.index;
    out += escapeText(text.slice(last, at));
    if (bold !== undefined) out += boldSpan(toMrkdwn(bold), text[at - 1], text[at + whole.length]);
    else if (label !== undefined && url !== undefined) out += link(label, url);
    else if (member !== undefined) out += `<@${member}>`;
    else if (channel !== undefined) out += channelName ? `<#${channel}|${escapeText(channelName)}>` : `<#${channel}>`;
    last = at + whole.length;
  }
  return out + escapeText(text.slice(last));
}

// Slack ends or ignores *bold* that touches a letter (Chinese text has no spaces to lean on);
// a zero-width space beside the asterisk keeps it bold without changing what the reader sees.
function boldSpan(inner: string, before: string | undefined, after: string | undefined): string {
  const pad = (c: string | undefined) => (c !== undefined && /[\p{L}\p{N}]/u.test(c) ? "\u200b" : "");
  return `${pad(before)}*${inner}*${pad(after)}`;
}

function link(label: string, url: string): string {
  if (!/^(https?:|mailto:)/i.test(url)) return escapeText(`${label} (${url})`);
  const safeUrl = url.replace(/[<>|]/g, (c) => encodeURIComponent(c));
  return `<${safeUrl}|${escapeText(label).replace(/\|/g, "¦")}>`;
}

/** Plain text for places that show no formatting: modal errors, button labels, notifications. */
export function toPlain(text: string): string {
  return text
    .replace(/\*\*(.+?)\*\*/gs, "$1")
    .replace(/<@[^|>]+\|([^>]*)>/g, "@$1")
    .replace(/<#[^|>]+\|([^>]*)>/g, "#$1")
    .replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, "$1")
    .replace(/`/g, "");
}

/** Clips plain text to `max` characters, marking the cut. */
export function clipPlain(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/**
 * Splits mrkdwn into pieces of at most `max` characters: at line breaks when it can, else at a
 * space, never inside a <...> token or a surrogate pair, so no piece breaks a link or a mention.
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let current = "";
  for (const line of text.split("\n")) {
    const joined = current ? `${current}\n${line}` : line;
    if (joined.length <= max) {
      current = joined;
      continue;
    }
    if (current) pieces.push(current);
    current = "";
    let rest = line;
    while (rest.length > max) {
      const cut = cutPoint(rest, max);
      pieces.push(rest.slice(0, cut).trimEnd());
      rest = rest.slice(cut).trimStart();
    }
    current = rest;
  }
  if (current || pieces.length === 0) pieces.push(current);
  return pieces;
}

function cutPoint(line: string, max: number): number {
  let cut = line.lastIndexOf(" ", max);
  if (cut < max / 2) cut = max;
  // Back out of a <...> token that the cut would break.
  const open = line.lastIndexOf("<", cut - 1);
  if (open > line.lastIndexOf(">", cut - 1) && open > 0) cut = open;
  // Back out of an HTML entity (&amp;) and of the middle of a surrogate pair.
  const amp = line.lastIndexOf("&", cut - 1);
  if (amp > cut - 6 && amp > 0 && !line.slice(amp, cut).includes(";")) cut = amp;
  const code = line.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return Math.max(1, cut);
}
