// The terminal's "platform": direct messages and channel posts are printed.
import type { Reply } from "../../commands/reply.ts";
import type { Member, Workspace } from "../../generated/prisma/client.ts";
import type { Messenger } from "../types.ts";
import { renderText } from "./render.ts";

export function terminalMessenger(write: (text: string) => void = (text) => process.stdout.write(text)): Messenger {
  let n = 0;
  const print = (to: string, reply: Reply) => {
    write(`\n── ${to} ──\n${renderText(reply, "customer")}\n`);
    n += 1;
    return Promise.resolve(`terminal-${n}`);
  };
  return {
    sendDirect: (_workspace: Workspace, member: Member, reply: Reply) => print(`DM @${member.displayName}`, reply),
    postToChannel: (_workspace: Workspace, channel: string, reply: Reply) => print(`#${channel}`, reply),
  };
}
