// The baseline of bench/slash.ts: a Bolt app on the same HTTPReceiver (signature and age checked
// the same way), whose slash command listener only acknowledges. Prints "ready" once listening.
import bolt from "@slack/bolt";

const { App, HTTPReceiver, LogLevel } = bolt;
const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? "",
  endpoints: "/slack/events",
  processBeforeResponse: false,
  logLevel: LogLevel.ERROR,
});
const app = new App({ receiver, authorize: async () => ({ botToken: "xoxb-bare" }), logLevel: LogLevel.ERROR });
app.command(/^\/\S+$/, async ({ ack }) => {
  await ack();
});
await receiver.start(Number(process.env.PORT));
console.log("ready");
process.on("SIGTERM", () => void receiver.stop().then(() => process.exit(0)));
