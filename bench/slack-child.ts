// The fake Slack of bench/slash.ts in a process of its own, so that receiving and recording every
// response_url post costs the load generator nothing: in one process the fake's work delayed the
// sends and answers the generator times, for our bot (which posts an answer per command) but not
// for the bare app (which posts nothing). Started with IPC; sends `{ url }` once listening and
// answers each `"count"` with how many answers arrived, how many were refusals of a command over
// the bot's backlog, and how many said a command failed.
import { translate } from "../src/i18n/index.ts";
import { FakeSlack } from "../test/fakes/slack-api.ts";

export interface AnswerCount {
  answered: number;
  /** Commands refused unrun, over the bot's COMMAND_BACKLOG ("try again in a minute"). */
  busy: number;
  /** Answers that are neither the success a `/customer log` gets nor a refusal (an apology, a user error). */
  unexpected: number;
  /** The latest unexpected answer's text, to say what went wrong. */
  lastUnexpected?: string | undefined;
}

const send = (message: unknown) => process.send?.(message);
const fake = await FakeSlack.start();
for (const user of JSON.parse(process.env.BENCH_USERS ?? "[]") as { id: string; name: string }[]) fake.addUser(user);

let checked = 0;
const count: AnswerCount = { answered: 0, busy: 0, unexpected: 0 };
const busy = translate("en", "error.busy");
process.on("message", (message) => {
  if (message !== "count") return;
  // A logged interaction is answered with 📝; anything else is a command that did not do its work.
  for (; checked < fake.responses.length; checked++) {
    const body = fake.responses[checked]?.body;
    const text = JSON.stringify(body);
    if (text.includes("📝")) continue;
    if (text.includes(busy)) {
      count.busy++;
      continue;
    }
    count.unexpected++;
    count.lastUnexpected = String(body?.text);
  }
  count.answered = fake.responses.length;
  send(count);
});
process.on("disconnect", () => void fake.close().then(() => process.exit(0)));
send({ url: fake.url });
