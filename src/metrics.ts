// Prometheus metrics, one registry per server so that tests can run several servers at once.
import {
  AggregatorRegistry,
  Counter,
  collectDefaultMetrics,
  Histogram,
  type MetricObjectWithValues,
  type MetricValue,
  Registry,
} from "prom-client";

/** Another registry's metrics as JSON (the command thread's), read when /metrics is scraped. */
export type MetricsSource = () => Promise<MetricObjectWithValues<MetricValue<string>>[]>;

/**
 * The process's metrics. A command thread keeps its own counters without the process-wide ones
 * (`processMetrics: false`: CPU and memory are the process's, counted once, by the main thread).
 */
export function createMetrics(options: { processMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const sources = new Set<MetricsSource>();
  return {
    registry,
    /** Adds a registry whose counts are summed into this one's on every scrape. */
    addSource(source: MetricsSource): void {
      sources.add(source);
    },
    /** The Prometheus text of this registry and its sources, summed by metric and labels. */
    async text(): Promise<string> {
      if (sources.size === 0) return registry.metrics();
      const others = await Promise.all([...sources].map((source) => source()));
      // Summed where a source counts the same metric; the rest (the process's own figures, some of
      // which the aggregator would otherwise leave out) as this registry has them.
      const counted = new Set(others.flatMap((metrics) => metrics.map((m) => m.name)));
      const own = (await registry.getMetricsAsJSON()).map((m) =>
        counted.has(m.name) ? m : { ...m, aggregator: "first" as const },
      );
      return AggregatorRegistry.aggregate([own, ...others]).metrics();
    },
    commands: new Counter({
      name: "crm_commands_total",
      help: "Commands handled, by verb and outcome (ok, user_error, error, duplicate, busy).",
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
