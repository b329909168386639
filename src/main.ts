// Start-up: read the configuration, start the server, and stop in order on SIGTERM or SIGINT.
import { ConfigError, loadConfig } from "./config.ts";
import { createLogger } from "./logger.ts";
import { startServer } from "./server.ts";

// Docker and Kubernetes wait 10 and 30 seconds between SIGTERM and SIGKILL; compose.yaml asks for 30.
const STOP_DEADLINE_MS = 25_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // A signal during start-up (migrations, say) is kept and acted on once the server is up, so
  // the process still stops in order and its buffered log lines are written.
  let signalled: string | undefined;
  let onSignal = (signal: string) => {
    signalled ??= signal;
    logger.info({ signal }, "stopping once start-up has finished");
  };
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  process.on("SIGINT", () => onSignal("SIGINT"));
  const server = await startServer(config, { logger });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: finishing requests in flight");
    // Past this the runtime's SIGKILL would come anyway; nothing recorded is lost either way.
    setTimeout(() => {
      logger.error("stopping took too long; exiting");
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    try {
      await server.stop();
    } catch (error) {
      logger.error({ err: error }, "stopping failed");
      process.exit(1);
    }
    logger.info("stopped");
    process.exit(0);
  };
  onSignal = (signal) => void stop(signal);
  if (signalled) await stop(signalled);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`Configuration error: ${error.message}`);
    process.exit(78);
  }
  console.error(error);
  process.exit(1);
});
