import { createServer, type Server } from "node:http";
import { Counter, Gauge, Registry } from "prom-client";

/** The keeper's Prometheus metrics. */
export class KeeperMetrics {
  readonly registry = new Registry();
  /** When a tick last completed (unix seconds), for /healthz. */
  lastSuccessAt: number | undefined;
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
  readonly quarantined = new Gauge({
    name: "reserve_adapter_quarantined",
    help: "1 while the adapter is quarantined (no allocation, no withdrawals from it)",
    labelNames: ["adapter"],
    registers: [this.registry],
  });
  readonly rateLimitHeadroom = new Gauge({
    name: "reserve_adapter_rate_limit_headroom",
    help: "What the adapter's entry rate limit lets in now (base units)",
    labelNames: ["adapter"],
    registers: [this.registry],
  });
  readonly paused = new Gauge({
    name: "reserve_vault_paused",
    help: "1 while the guardian has paused the vault (no deposits, no rebalance)",
    registers: [this.registry],
  });
  readonly lockedProfit = new Gauge({
    name: "reserve_vault_locked_profit",
    help: "Gains booked but not yet unlocked to holders (base units)",
    registers: [this.registry],
  });
  readonly sharePrice = new Gauge({
    name: "reserve_vault_share_price",
    help: "Assets per share, in the asset's units (a fall means a loss was booked)",
    registers: [this.registry],
  });
  readonly keeperBalance = new Gauge({
    name: "reserve_keeper_balance_wei",
    help: "The keeper account's ETH balance",
    registers: [this.registry],
  });
  /** When the transaction the keeper now waits for was sent (ms since the epoch), while there is one. */
  pendingSince: number | undefined;
  readonly pendingTxAge = new Gauge({
    name: "reserve_keeper_pending_tx_age_seconds",
    help: "How long the keeper's unconfirmed transaction has waited (0 when none): stuck at the fee cap, or a node not mining",
    registers: [this.registry],
    collect: () => {
      this.pendingTxAge.set(this.pendingSince === undefined ? 0 : (Date.now() - this.pendingSince) / 1_000);
    },
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

  /**
   * Serves /metrics on `port` (loopback by default), and /healthz: 200 while the last successful tick
   * is at most `staleAfterSeconds` old (503 before the first one, or after).
   */
  serve(port: number, host = "127.0.0.1", staleAfterSeconds = Number.POSITIVE_INFINITY): Promise<Server> {
    const server = createServer((request, response) => {
      if (request.url === "/healthz") {
        const last = this.lastSuccessAt;
        const age = last === undefined ? undefined : Date.now() / 1_000 - last;
        const healthy = age !== undefined && age <= staleAfterSeconds;
        response
          .writeHead(healthy ? 200 : 503, { "content-type": "text/plain" })
          .end(
            age === undefined
              ? "no successful tick yet\n"
              : `last successful tick ${Math.round(age)} s ago (stale after ${staleAfterSeconds} s)\n`,
          );
        return;
      }
      if (request.url !== "/metrics") {
        response.writeHead(404).end("not found; try /metrics or /healthz\n");
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
