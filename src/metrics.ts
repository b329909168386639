// Prometheus metrics, one registry per server so that tests can run several servers at once.
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    commands: new Counter({
      name: "crm_commands_total",
      help: "Commands handled, by verb and outcome (ok, user_error, error, duplicate).",
      labelNames: ["platform", "verb", "outcome"],
      registers: [registry],
    }),
    ackLatency: new Histogram({
      name: "crm_ack_latency_seconds",
      help: "Time from receiving a platform request to acknowledging it.",
      labelNames: ["platform"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    nudges: new Counter({
      name: "crm_nudges_total",
      help: "Nudges and digests by kind and outcome (sent, failed, retried).",
      labelNames: ["kind", "outcome"],
      registers: [registry],
    }),
    platformErrors: new Counter({
      name: "crm_platform_api_errors_total",
      help: "Errors from the Slack and Feishu APIs, by method and error code.",
      labelNames: ["platform", "method", "code"],
      registers: [registry],
    }),
    sweepDuration: new Histogram({
      name: "crm_sweep_duration_seconds",
      help: "Duration of a revisit sweep.",
      buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
