package io.stellaops.controllers.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The controllers' Prometheus metrics (documented in docs/metrics.md), and the java-operator-sdk
 * hook that times every reconcile. Registered once per process in the default registry.
 */
public final class ControllerMetrics implements Metrics {
  public static final Counter RECONCILES =
      Counter.builder()
          .name("stella_reconciles_total")
          .help("Reconciles by controller and result (success, failure).")
          .labelNames("controller", "result")
          .register();
  public static final Histogram RECONCILE_DURATION =
      Histogram.builder()
          .name("stella_reconcile_duration_seconds")
          .help("Time a reconcile took, by controller.")
          .labelNames("controller")
          .register();
  public static final Counter PROMOTIONS =
      Counter.builder()
          .name("stella_promotions_total")
          .help("Promotions that ended, by final phase (Succeeded, Denied, Failed, ...).")
          .labelNames("result")
          .register();
  public static final Counter GATE_DENIALS =
      Counter.builder()
          .name("stella_gate_denials_total")
          .help("Gate results (Fail or Error) in denied promotions, by gate.")
          .labelNames("gate")
          .register();
  public static final Counter EVIDENCE_PACKETS =
      Counter.builder()
          .name("stella_evidence_packets_total")
          .help("Signed evidence packets created, by decision (allow, deny).")
          .labelNames("decision")
          .register();

  public static final Counter ADVISORY_FEED_LOADS =
      Counter.builder()
          .name("stella_advisory_feed_loads_total")
          .help("AdvisoryFeed source reads, by feed and result (loaded, unchanged, failed).")
          .labelNames("feed", "result")
          .register();

  public static final Counter ILM_PURGED =
      Counter.builder()
          .name("stella_ilm_purged_total")
          .help("Objects the lifecycle controller purged, by IlmClass and kind.")
          .labelNames("class", "kind")
          .register();
  public static final Counter ILM_ARCHIVED_BYTES =
      Counter.builder()
          .name("stella_ilm_archived_bytes_total")
          .help("Bytes of archives written and verified, by IlmClass.")
          .labelNames("class")
          .register();
  public static final Counter EXPORTS =
      Counter.builder()
          .name("stella_exports_total")
          .help("Export runs, by profile and result (complete, failed).")
          .labelNames("profile", "result")
          .register();
  public static final Counter EXPORTED_BYTES =
      Counter.builder()
          .name("stella_exported_bytes_total")
          .help("Bytes of export bundles written and verified, by profile.")
          .labelNames("profile")
          .register();
  public static final Gauge ILM_BACKLOG =
      Gauge.builder()
          .name("stella_ilm_backlog")
          .help("Objects expired, not pinned and not yet purged, by IlmClass.")
          .labelNames("class")
          .register();
  public static final Gauge ILM_PINNED =
      Gauge.builder()
          .name("stella_ilm_pinned")
          .help("Objects past their expiry kept by a pin or a legal hold, by IlmClass.")
          .labelNames("class")
          .register();

  private static final Map<String, Instant> HEARTBEATS = new ConcurrentHashMap<>();
  private static final Clock CLOCK = Clock.systemUTC();

  static {
    for (String phase :
        new String[] {"Succeeded", "Denied", "Failed", "RolledBack", "Superseded"}) {
      PROMOTIONS.initLabelValues(phase);
    }
    EVIDENCE_PACKETS.initLabelValues("allow");
    EVIDENCE_PACKETS.initLabelValues("deny");
    EXPORTS.initLabelValues("evidence", "complete");
    EXPORTS.initLabelValues("evidence", "failed");
    EXPORTED_BYTES.initLabelValues("evidence");
    GaugeWithCallback.builder()
        .name("stella_agent_heartbeat_age_seconds")
        .help("Seconds since each agent last renewed its Lease.")
        .labelNames("namespace", "agent")
        .callback(callback ->
            HEARTBEATS.forEach((key, at) -> {
              String[] parts = key.split("/", 2);
              callback.call(
                  Math.max(0, CLOCK.millis() - at.toEpochMilli()) / 1000.0, parts[0], parts[1]);
            }))
        .register();
  }

  /** Records an agent's last heartbeat, or forgets the agent (null). */
  public static void agentHeartbeat(String namespace, String agent, Instant at) {
    if (at == null) {
      HEARTBEATS.remove(namespace + "/" + agent);
    } else {
      HEARTBEATS.put(namespace + "/" + agent, at);
    }
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    long start = System.nanoTime();
    String controller = execution.controllerName();
    try {
      T result = execution.execute();
      RECONCILES.labelValues(controller, "success").inc();
      return result;
    } catch (Exception e) {
      RECONCILES.labelValues(controller, "failure").inc();
      throw e;
    } finally {
      RECONCILE_DURATION.labelValues(controller).observe((System.nanoTime() - start) / 1e9);
    }
  }
}
