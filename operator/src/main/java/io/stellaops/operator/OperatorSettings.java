package io.stellaops.operator;

import io.stellaops.controllers.ilmclass.IlmClassReconciler;
import io.stellaops.supplychain.logging.LogSettings;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Operator settings, from environment variables (the chart sets them; the quickstart too).
 *
 * <ul>
 *   <li>{@code STELLA_NAMESPACE} — where the evidence key and its public ConfigMap live (default
 *       {@code stella-system}).
 *   <li>{@code STELLA_WEBHOOK_PORT} — admission server port (default 8443).
 *   <li>{@code STELLA_WEBHOOK_URL} — how the API server reaches the admission server when the
 *       operator runs outside the cluster, e.g. {@code https://127.0.0.1:8443}; otherwise {@code
 *       STELLA_WEBHOOK_SERVICE} ({@code name.namespace}, default {@code
 *       stella-operator-webhook.<STELLA_NAMESPACE>}) names the Service in front of it.
 *   <li>{@code STELLA_HEALTH_PORT} — health and version endpoints (default 8080).
 *   <li>{@code STELLA_ADMISSION_DEADLINE} — seconds an admission check may take before it is denied
 *       with a clear message (default 8, below the webhook timeout of 10).
 *   <li>{@code STELLA_WEBHOOK_CERT_SECRET} — a {@code kubernetes.io/tls} Secret in {@code
 *       STELLA_NAMESPACE} holding the webhook CA and certificate, shared by every replica; the
 *       operator creates and renews it. Unset: a fresh CA at every start (one replica only).
 *   <li>{@code STELLA_WEBHOOK_CERT_EXTERNAL} — {@code true} when cert-manager (or another issuer)
 *       writes that Secret: the operator only reads it.
 *   <li>{@code STELLA_INSECURE_REGISTRIES} — comma-separated {@code host[:port]} of registries that
 *       speak plain HTTP (as dockerd's {@code insecure-registries}); loopback registries always do.
 *   <li>{@code STELLA_LEADER_ELECTION} — {@code true} to run the controllers on one replica at a
 *       time (Lease {@code stella-operator}); admission is served by every replica.
 *   <li>{@code STELLA_ILM_INTERVAL_SECONDS} — how often each IlmClass's lifecycle runs (default
 *       60); {@code STELLA_ILM_PURGES_PER_RUN} — at most this many objects purged per class and run
 *       (default 1000); {@code STELLA_ILM_WRITES_PER_SECOND} — API writes the lifecycle makes per
 *       second, all classes together (default 200); {@code STELLA_ILM_PARALLELISM} — objects
 *       archived and deleted at once (default 8).
 *   <li>{@code STELLA_EVIDENCE_KEY_RECHECK_SECONDS} — how often the evidence key's Secret is read
 *       again, so a rotation ({@code kubectl stella keys rotate}) takes effect (default 30).
 *   <li>{@code STELLA_LOG_FORMAT} — {@code text} (default) or {@code json}: one JSON object per
 *       line with the reconciled resource's kind, namespace and name (logback.xml reads it); {@code
 *       STELLA_LOG_LEVEL} — trace, debug, info (default), warn or error.
 * </ul>
 */
public record OperatorSettings(
    String namespace,
    int webhookPort,
    String webhookUrl,
    String webhookService,
    int healthPort,
    Duration admissionDeadline,
    String webhookCertificateSecret,
    boolean webhookCertificateExternal,
    boolean leaderElection,
    Set<String> insecureRegistries,
    Duration ilmInterval,
    int ilmPurgesPerRun,
    int ilmWritesPerSecond,
    int ilmParallelism,
    Duration evidenceKeyRecheck,
    String logFormat,
    String logLevel) {
  public static OperatorSettings fromEnvironment(Map<String, String> env) {
    String namespace = env.getOrDefault("STELLA_NAMESPACE", "stella-system");
    LogSettings logs = LogSettings.fromEnvironment(env);
    return new OperatorSettings(
        namespace,
        integer(env, "STELLA_WEBHOOK_PORT", 8443),
        env.get("STELLA_WEBHOOK_URL"),
        env.getOrDefault("STELLA_WEBHOOK_SERVICE", "stella-operator-webhook." + namespace),
        integer(env, "STELLA_HEALTH_PORT", 8080),
        Duration.ofSeconds(integer(env, "STELLA_ADMISSION_DEADLINE", 8)),
        blankToNull(env.get("STELLA_WEBHOOK_CERT_SECRET")),
        bool(env, "STELLA_WEBHOOK_CERT_EXTERNAL"),
        bool(env, "STELLA_LEADER_ELECTION"),
        registries(env, "STELLA_INSECURE_REGISTRIES"),
        Duration.ofSeconds(integer(env, "STELLA_ILM_INTERVAL_SECONDS", 60)),
        integer(env, "STELLA_ILM_PURGES_PER_RUN", 1000),
        integer(env, "STELLA_ILM_WRITES_PER_SECOND", 200),
        integer(env, "STELLA_ILM_PARALLELISM", IlmClassReconciler.Settings.PARALLELISM),
        Duration.ofSeconds(integer(env, "STELLA_EVIDENCE_KEY_RECHECK_SECONDS", 30)),
        logs.format(),
        logs.level());
  }

  private static Set<String> registries(Map<String, String> env, String name) {
    Set<String> registries = new LinkedHashSet<>();
    for (String entry : env.getOrDefault(name, "").split(",")) {
      String registry = entry.strip();
      if (registry.isEmpty()) {
        continue;
      }
      if (!registry.matches("[A-Za-z0-9.-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:]+](:[0-9]{1,5})?")) {
        throw new IllegalArgumentException(
            name + " lists registries as host[:port] separated by commas, not \"" + entry + "\"");
      }
      registries.add(registry);
    }
    return Set.copyOf(registries);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static boolean bool(Map<String, String> env, String name) {
    String value = blankToNull(env.get(name));
    if (value == null || value.equalsIgnoreCase("false")) {
      return false;
    }
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    throw new IllegalArgumentException(name + " must be true or false, not \"" + value + "\"");
  }

  private static int integer(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, not \"" + value + "\"", e);
    }
  }
}
