package io.stellaops.supplychain.policy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps what {@code delegate} found for {@code ttl}, so admission makes no API call per request for
 * keys, registry credentials and pull secrets. Absent Secrets are not kept: one created to fix a
 * denial counts at once. A rotated Secret counts within {@code ttl}.
 */
public final class CachingSecretSource implements SecretSource {
  private record Entry<T>(T value, Instant expires) {}

  private final SecretSource delegate;
  private final Duration ttl;
  private final Clock clock;
  private final Map<String, Entry<Map<String, byte[]>>> secrets = new ConcurrentHashMap<>();
  private final Map<String, Entry<List<String>>> pullSecrets = new ConcurrentHashMap<>();

  public CachingSecretSource(SecretSource delegate, Duration ttl, Clock clock) {
    this.delegate = delegate;
    this.ttl = ttl;
    this.clock = clock;
  }

  @Override
  public Optional<Map<String, byte[]>> read(String namespace, String name) {
    String key = namespace + "/" + name;
    Instant now = clock.instant();
    Entry<Map<String, byte[]>> entry = secrets.get(key);
    if (entry != null && now.isBefore(entry.expires())) {
      return Optional.of(entry.value());
    }
    Optional<Map<String, byte[]>> found = delegate.read(namespace, name);
    found.ifPresentOrElse(
        data -> secrets.put(key, new Entry<>(data, now.plus(ttl))), () -> secrets.remove(key));
    return found;
  }

  @Override
  public List<String> pullSecretNames(String namespace) {
    Instant now = clock.instant();
    Entry<List<String>> entry = pullSecrets.get(namespace);
    if (entry != null && now.isBefore(entry.expires())) {
      return entry.value();
    }
    List<String> names = delegate.pullSecretNames(namespace);
    pullSecrets.put(namespace, new Entry<>(names, now.plus(ttl)));
    return names;
  }
}
