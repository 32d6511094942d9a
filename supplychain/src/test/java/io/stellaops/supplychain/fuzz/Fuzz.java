package io.stellaops.supplychain.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Seeded mutation fuzzing of a parser: inputs are real documents (the corpus) mutated byte-wise
 * and, for JSON, structurally (values replaced by other types, huge numbers, deep nesting, keys
 * dropped or repeated in another case), plus random bytes. A case passes when the parser returns or
 * throws one of its typed failures within the time bound; anything else fails the run with the
 * seed, the case number and the input shrunk to what still fails. Hand-written rather than jqwik:
 * jqwik is built on JUnit Platform 1 and this build runs JUnit 6.
 *
 * <p>{@code -Dstella.fuzz.cases=N} (default 500: the CI run) and {@code -Dstella.fuzz.seed=S}
 * (default: from the clock, printed) choose the run; {@code hack/test.sh fuzz} runs 10,000 cases.
 */
public final class Fuzz {
  public static final int CASES = Integer.getInteger("stella.fuzz.cases", 500);
  private static final long SEED = Long.getLong("stella.fuzz.seed", System.nanoTime());

  /** A parser taking longer than this on one input fails the run (inputs up to a few MiB). */
  private static final long LIMIT_MILLIS = 2_000;

  private static final int MAX_INPUT = 4 << 20;
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final byte[] INTERESTING =
      "\"{}[]:,\\0123456789-+.eE \n\t\u0000\u00ff/@#%".getBytes(StandardCharsets.ISO_8859_1);

  /** The parser under test; throwing anything not allowed is a defect. */
  @FunctionalInterface
  public interface Target {
    void parse(byte[] input) throws Throwable;
  }

  /** What a run saw. */
  public record Report(
      String name,
      long seed,
      int cases,
      int accepted,
      Map<String, Integer> refusedBy,
      long slowestMillis) {
    @Override
    public String toString() {
      return "fuzz %s: %d cases (seed %d): %d accepted, refused %s, slowest %d ms"
          .formatted(name, cases, seed, accepted, refusedBy, slowestMillis);
    }
  }

  private Fuzz() {}

  /**
   * Runs {@link #CASES} cases of {@code target} on mutations of {@code corpus}; throws
   * AssertionError naming seed, case and shrunk input when a case escapes {@code allowed}.
   */
  public static Report run(
      String name, List<byte[]> corpus, Set<Class<? extends Throwable>> allowed, Target target) {
    long seed = SEED ^ name.hashCode();
    Random random = new Random(seed);
    int accepted = 0;
    Map<String, Integer> refused = new TreeMap<>();
    long slowest = 0;
    for (int i = 0; i < CASES; i++) {
      byte[] input = mutate(random, corpus);
      long started = System.nanoTime();
      Throwable failure = outcome(target, input);
      long millis = (System.nanoTime() - started) / 1_000_000;
      slowest = Math.max(slowest, millis);
      if (failure == null) {
        accepted++;
      } else if (isAllowed(failure, allowed)) {
        refused.merge(failure.getClass().getSimpleName(), 1, Integer::sum);
      } else {
        byte[] small = shrink(input, target, failure.getClass());
        AssertionError error =
            new AssertionError(
                "fuzz %s: case %d of seed %d (rerun with -Dstella.fuzz.seed=%d) threw %s; kept as %s; shrunk"
                        .formatted(name, i, SEED, SEED, failure, keep(name, i, input))
                    + " input ("
                    + small.length
                    + " bytes): "
                    + printable(small));
        error.initCause(failure);
        throw error;
      }
      if (millis > LIMIT_MILLIS && (millis = timed(target, input)) > LIMIT_MILLIS) {
        // timed twice: a pause of the machine (GC, another process) is not the parser's
        throw new AssertionError(
            "fuzz %s: case %d of seed %d took %d ms (bound %d ms) on %d bytes (kept as %s): %s"
                .formatted(
                    name,
                    i,
                    SEED,
                    millis,
                    LIMIT_MILLIS,
                    input.length,
                    keep(name, i, input),
                    printable(input, 2_000)));
      }
    }
    Report report = new Report(name, SEED, CASES, accepted, refused, slowest);
    System.out.println(report);
    return report;
  }

  private static long timed(Target target, byte[] input) {
    long started = System.nanoTime();
    outcome(target, input);
    return (System.nanoTime() - started) / 1_000_000;
  }

  /** Writes a failing input under target/fuzz/ and says where. */
  private static String keep(String name, int i, byte[] input) {
    try {
      var dir = java.nio.file.Path.of("target", "fuzz");
      java.nio.file.Files.createDirectories(dir);
      var file = dir.resolve(name.replaceAll("[^A-Za-z0-9.]+", "_") + "-" + SEED + "-" + i);
      java.nio.file.Files.write(file, input);
      return file.toAbsolutePath().toString();
    } catch (java.io.IOException e) {
      return "(not kept: " + e.getMessage() + ")";
    }
  }

  private static Throwable outcome(Target target, byte[] input) {
    try {
      target.parse(input);
      return null;
    } catch (Throwable e) {
      return e;
    }
  }

  private static boolean isAllowed(Throwable failure, Set<Class<? extends Throwable>> allowed) {
    return allowed.stream().anyMatch(type -> type.isInstance(failure));
  }

  /** Removes chunks, largest first, while the same kind of failure still escapes. */
  private static byte[] shrink(byte[] input, Target target, Class<?> kind) {
    byte[] best = input;
    int attempts = 0;
    for (int chunk = Math.max(1, best.length / 2); chunk >= 1 && attempts < 5_000; chunk /= 2) {
      for (int at = 0; at + chunk <= best.length && attempts < 5_000; ) {
        byte[] candidate = new byte[best.length - chunk];
        System.arraycopy(best, 0, candidate, 0, at);
        System.arraycopy(best, at + chunk, candidate, at, best.length - at - chunk);
        attempts++;
        Throwable t = outcome(target, candidate);
        if (t != null && t.getClass() == kind) {
          best = candidate;
        } else {
          at += chunk;
        }
      }
    }
    return best;
  }

  static byte[] mutate(Random random, List<byte[]> corpus) {
    if (random.nextInt(20) == 0) {
      byte[] noise = new byte[random.nextInt(256)];
      random.nextBytes(noise);
      return noise;
    }
    byte[] input = corpus.get(random.nextInt(corpus.size()));
    if (random.nextInt(3) == 0) {
      byte[] structural = mutateJson(random, input);
      if (structural != null) {
        return structural;
      }
    }
    int rounds = 1 + random.nextInt(8);
    for (int r = 0; r < rounds && input.length <= MAX_INPUT; r++) {
      input = mutateBytes(random, input, corpus);
    }
    return input;
  }

  private static byte[] mutateBytes(Random random, byte[] input, List<byte[]> corpus) {
    if (input.length == 0) {
      return new byte[] {INTERESTING[random.nextInt(INTERESTING.length)]};
    }
    byte[] out = input.clone();
    int at = random.nextInt(input.length);
    return switch (random.nextInt(7)) {
      case 0 -> {
        out[at] ^= (byte) (1 << random.nextInt(8));
        yield out;
      }
      case 1 -> {
        out[at] = INTERESTING[random.nextInt(INTERESTING.length)];
        yield out;
      }
      case 2 -> Arrays.copyOf(input, at); // truncated
      case 3 -> { // a range deleted
        int end = Math.min(input.length, at + 1 + random.nextInt(64));
        byte[] cut = new byte[input.length - (end - at)];
        System.arraycopy(input, 0, cut, 0, at);
        System.arraycopy(input, end, cut, at, input.length - end);
        yield cut;
      }
      case 4 -> { // a range repeated: long strings, deep nesting
        int end = Math.min(input.length, at + 1 + random.nextInt(16));
        int times = 1 + random.nextInt(random.nextBoolean() ? 8 : 2_000);
        byte[] chunk = Arrays.copyOfRange(input, at, end);
        var grown = new java.io.ByteArrayOutputStream();
        grown.write(input, 0, end);
        for (int i = 0; i < times; i++) {
          grown.writeBytes(chunk);
        }
        grown.write(input, end, input.length - end);
        yield grown.toByteArray();
      }
      case 5 -> { // spliced with another document
        byte[] other = corpus.get(random.nextInt(corpus.size()));
        int from = other.length == 0 ? 0 : random.nextInt(other.length);
        var spliced = new java.io.ByteArrayOutputStream();
        spliced.write(input, 0, at);
        spliced.write(other, from, other.length - from);
        yield spliced.toByteArray();
      }
      default -> { // random bytes inserted
        byte[] noise = new byte[1 + random.nextInt(8)];
        random.nextBytes(noise);
        var inserted = new java.io.ByteArrayOutputStream();
        inserted.write(input, 0, at);
        inserted.writeBytes(noise);
        inserted.write(input, at, input.length - at);
        yield inserted.toByteArray();
      }
    };
  }

  /** A JSON document with one node replaced, removed or repeated; null if it is not JSON. */
  public static byte[] mutateJson(Random random, byte[] input) {
    JsonNode tree;
    try {
      tree = JSON.readTree(input);
    } catch (Exception e) {
      return null;
    }
    if (tree == null || !tree.isContainerNode()) {
      return null;
    }
    List<JsonNode> containers = new ArrayList<>();
    collect(tree, containers);
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits; e++) {
      JsonNode parent = containers.get(random.nextInt(containers.size()));
      if (parent instanceof ObjectNode object && !object.isEmpty()) {
        List<String> keys = new ArrayList<>();
        object.fieldNames().forEachRemaining(keys::add);
        String key = keys.get(random.nextInt(keys.size()));
        switch (random.nextInt(4)) {
          case 0 -> object.remove(key);
          case 1 -> object.set(key.toUpperCase(), object.get(key)); // same key, other case
          default -> object.set(key, value(random));
        }
      } else if (parent instanceof ArrayNode array && !array.isEmpty()) {
        int index = random.nextInt(array.size());
        switch (random.nextInt(3)) {
          case 0 -> array.remove(index);
          case 1 -> {
            for (int i = 0, n = random.nextInt(2_000); i < n; i++) {
              array.add(array.get(index));
            }
          }
          default -> array.set(index, value(random));
        }
      }
    }
    try {
      byte[] json = JSON.writeValueAsBytes(tree);
      return json.length > MAX_INPUT ? null : json; // bounded: a time bound must mean something
    } catch (Exception e) {
      return null;
    }
  }

  private static void collect(JsonNode node, List<JsonNode> containers) {
    if (node.isContainerNode()) {
      containers.add(node);
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        collect(it.next(), containers);
      }
    }
  }

  private static JsonNode value(Random random) {
    var f = JsonNodeFactory.instance;
    return switch (random.nextInt(12)) {
      case 0 -> f.nullNode();
      case 1 -> f.booleanNode(random.nextBoolean());
      case 2 -> f.numberNode(random.nextLong());
      case 3 -> f.numberNode(new java.math.BigDecimal("1e" + random.nextInt(100_000)));
      case 4 -> f.numberNode(-1);
      case 5 -> f.textNode("");
      case 6 -> f.textNode("x".repeat(random.nextInt(100_000)));
      case 7 -> f.textNode("sha256:" + "0".repeat(random.nextInt(70)));
      case 8 -> f.textNode("\u0000\ud800%2F../..\u202e");
      case 9 -> f.arrayNode();
      case 10 -> f.objectNode();
      default -> {
        JsonNode deep = f.arrayNode();
        for (int i = 0, n = random.nextInt(3_000); i < n; i++) {
          deep = f.arrayNode().add(deep);
        }
        yield deep;
      }
    };
  }

  private static String printable(byte[] input) {
    return printable(input, 4_000);
  }

  private static String printable(byte[] input, int max) {
    String text = new String(input, 0, Math.min(input.length, max), StandardCharsets.UTF_8);
    return text.replace("\n", "\\n") + (input.length > max ? "…" : "");
  }
}
