import { createServer, type Server } from "node:http";
import { Counter, Gauge, Registry } from "prom-client";

/** The keeper's Prometheus metrics. */
export class KeeperMetrics {
  readonly registry = new Registry();
  readonly idle = new Gauge({
    name: "reserve_vault_idle",
    help: "Idle assets (base units)",
    registers: [this.registry],
  });
  readonly totalAssets = new Gauge({
    name: "reserve_vault_total_assets",
    help: "Total assets (base units)",
    registers: [this.registry],
  });
  readonly driftBps = new Gauge({
    name: "reserve_adapter_drift_bps",
    help: "Current weight minus target weight, in bps of total assets",
    labelNames: ["adapter"],
    registers: [this.registry],
  });
  readonly navAgeSeconds = new Gauge({
    name: "reserve_adapter_nav_age_seconds",
    help: "Age of the adapter's price",
    labelNames: ["adapter"],
    registers: [this.registry],
  });
  readonly pending = new Gauge({
    name: "reserve_adapter_pending",
    help: "Value in flight at the issuer (base units)",
    labelNames: ["adapter", "side"],
    registers: [this.registry],
  });
  readonly queuePendingAssets = new Gauge({
    name: "reserve_queue_pending_assets",
    help: "Value of the redemption requests waiting in the queue (base units)",
    registers: [this.registry],
  });
  readonly queueLength = new Gauge({
    name: "reserve_queue_length",
    help: "Redemption requests not yet served",
    registers: [this.registry],
  });
  readonly queueOldestAgeSeconds = new Gauge({
    name: "reserve_queue_oldest_request_age_seconds",
    help: "Age of the oldest redemption request not yet served (0: none)",
    registers: [this.registry],
  });
  readonly queueOverdue = new Gauge({
    name: "reserve_queue_overdue",
    help: "1 while the oldest pending request is past the queue's deadline (the plan makes no entries)",
    registers: [this.registry],
  });
  readonly lastSuccess = new Gauge({
    name: "reserve_keeper_last_success_timestamp_seconds",
    help: "When a tick last completed",
    registers: [this.registry],
  });
  readonly gasSpent = new Counter({
    name: "reserve_keeper_gas_spent_wei_total",
    help: "Fees paid by the keeper",
    registers: [this.registry],
  });
  readonly legFailures = new Counter({
    name: "reserve_keeper_leg_failures_total",
    help: "Rebalance legs that failed on chain and were skipped (LegFailed), by adapter and leg kind",
    labelNames: ["adapter", "kind"],
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: "reserve_keeper_errors_total",
    help: "Ticks that ended in an error",
    labelNames: ["kind"],
    registers: [this.registry],
  });

  /** Serves /metrics on `port` (loopback by default). */
  serve(port: number, host = "127.0.0.1"): Promise<Server> {
    const server = createServer((request, response) => {
      if (request.url !== "/metrics") {
        response.writeHead(404).end("not found; try /metrics\n");
        return;
      }
      this.registry
        .metrics()
        .then((body) => response.writeHead(200, { "content-type": this.registry.contentType }).end(body))
        .catch((error: unknown) => response.writeHead(500).end(String(error)));
    });
    return new Promise((resolve, reject) => {
      // A port in use fails the promise (the caller says which port and what to do) instead of crashing.
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve(server);
      });
    });
  }
}
