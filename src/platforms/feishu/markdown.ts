// The replies' markdown in Feishu's card dialect: mentions become <at>, groups become chat links,
// and everything the user typed is escaped so that no name can turn into markup.

export interface MarkdownOptions {
  /** Shown for a linked group whose name the reply does not carry ("group chat", "群聊"). */
  groupLabel: string;
  /** https://applink.feishu.cn or https://applink.larksuite.com */
  applinkHost: string;
}

// <@id>, <@id|name>, <#id>, <#id|name>, [label](url): the reply dialect's only tags.
const tokens = /<@([^|>\s]+)(?:\|([^>]*))?>|<#([^|>\s]+)(?:\|([^>]*))?>|\[([^\]\n]+)\]\(([^)\s]+)\)/g;

export function toCardMarkdown(text: string, options: MarkdownOptions): string {
  let out = "";
  let last = 0;
  for (const match of text.matchAll(tokens)) {
    out += escapeMarkup(text.slice(last, match.index));
    out += renderToken(match, options);
    last = match.index + match[0].length;
  }
  return out + escapeMarkup(text.slice(last));
}

function renderToken(match: RegExpMatchArray, options: MarkdownOptions): string {
  const [, memberId, memberName, chatId, chatName, label, url] = match;
  if (memberId !== undefined) {
    // An open_id is rendered by Feishu as the person's current name, with a profile card on click.
    if (/^ou_[A-Za-z0-9_-]+$/.test(memberId)) return `<at id=${memberId}></at>`;
    return `@${escapeMarkup(memberName || memberId)}`;
  }
  if (chatId !== undefined) {
    const name = `#${escapeMarkup(chatName || options.groupLabel)}`;
    if (!/^oc_[A-Za-z0-9_-]+$/.test(chatId)) return `#${escapeMarkup(chatName || chatId)}`;
    return `[${name}](${options.applinkHost}/client/chat/open?openChatId=${chatId})`;
  }
  const safeLabel = escapeMarkup(label ?? "");
  return url && /^https?:\/\//i.test(url) ? `[${safeLabel}](${url.replace(/</g, "%3C").replace(/>/g, "%3E")})` : safeLabel;
}

/** Card markdown reads <at>, <font>, <a> and friends as tags; the character references show as < and >. */
export function escapeMarkup(text: string): string {
  return text.replace(/</g, "&#60;").replace(/>/g, "&#62;");
}

/**
 * Cuts card markdown into pieces of at most `maxBytes` of JSON, at line ends where it can, so
 * that a long list never makes one element (or one card) too large.
 */
export function splitMarkdown(text: string, maxBytes: number): string[] {
  const pieces: string[] = [];
  let current = "";
  for (const line of text.split("\n")) {
    const joined = current ? `${current}\n${line}` : line;
    if (jsonBytes(joined) <= maxBytes) {
      current = joined;
      continue;
    }
    if (current) pieces.push(current);
    current = "";
    let rest = line;
    while (jsonBytes(rest) > maxBytes) {
      const cut = cutPoint(rest, maxBytes);
      pieces.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  if (current || pieces.length === 0) pieces.push(current);
  return pieces;
}

/** The longest prefix within the budget, ended at a space and never inside a tag or a surrogate pair. */
function cutPoint(line: string, maxBytes: number): number {
  let low = 1;
  let high = line.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (jsonBytes(line.slice(0, mid)) <= maxBytes) low = mid;
    else high = mid - 1;
  }
  let cut = low;
  if (/[\uD800-\uDBFF]/.test(line[cut - 1] ?? "") && cut > 1) cut -= 1;
  const open = line.lastIndexOf("<", cut - 1);
  if (open > 0 && line.indexOf(">", open) >= cut) cut = open;
  const space = line.lastIndexOf(" ", cut - 1);
  return space > cut / 2 ? space + 1 : cut;
}

export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}
