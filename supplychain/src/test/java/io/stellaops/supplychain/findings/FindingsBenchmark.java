package io.stellaops.supplychain.findings;

import io.stellaops.supplychain.TestData;
import io.stellaops.supplychain.advisory.AdvisoryIndex;
import io.stellaops.supplychain.advisory.AdvisorySnapshots;
import io.stellaops.supplychain.sbom.Sbom;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Our matcher beside osv-scanner 2.5 (offline, same OSV records, same SBOM) in one run: time per
 * SBOM, findings of each, and the memory of the loaded index. A benchmark, not a test: it prints
 * figures and asserts nothing about speed. Run it with {@code hack/bench.sh findings}.
 */
class FindingsBenchmark {
  private static final int OUR_RUNS = 200;
  private static final int THEIR_RUNS = 7;

  @Test
  void printFigures() throws Exception {
    List<Path> sources = TestData.osvSources();
    Path snapshot = TestData.osvSnapshot();
    long heapBefore = usedHeap();
    long loadStart = System.nanoTime();
    AdvisoryIndex index = AdvisorySnapshots.load(snapshot);
    long loadNanos = System.nanoTime() - loadStart;
    long indexBytes = usedHeap() - heapBefore;
    OsvScanner osvScanner = OsvScanner.withDatabase(sources);

    String[][] sboms = {
      {
        "redis (syft, small)",
        "guac-data-syft-cyclonedx/syft-cyclonedx-docker.io-library-redis.latest.json"
      },
      {"proton-bridge (Go)", "cyclonedx-bom-examples/proton-bridge/proton-bridge-v1.8.0.bom.json"},
      {
        "docker (syft, Go)",
        "guac-data-syft-cyclonedx/syft-cyclonedx-docker.io-library-docker.latest.json"
      },
      {
        "protonmail-webclient (largest)",
        "cyclonedx-bom-examples/protonmail-webclient-v4-0912dff/bom.json"
      }
    };
    StringBuilder out = new StringBuilder();
    out.append("SBOM x advisories: ours vs osv-scanner 2.5.0 (offline), same records, same run\n");
    out.append(
        String.format(
            "advisory index: %d advisories, loaded in %d ms, ~%d MiB of heap%n",
            index.advisories(), loadNanos / 1_000_000, indexBytes / (1024 * 1024)));
    out.append(
        String.format(
            "%-32s %6s %12s %12s %11s %14s %9s %10s %12s%n",
            "SBOM",
            "comps",
            "ours p50 ms",
            "ours p99 ms",
            "match p50",
            "osv-scanner ms",
            "speed-up",
            "findings",
            "osv RSS MiB"));
    for (String[] s : sboms) {
      byte[] bytes = Files.readAllBytes(TestData.path("sbom", s[1].split("/")));
      long[] ours = new long[OUR_RUNS];
      FindingsReport report = null;
      for (int i = 0; i < OUR_RUNS; i++) {
        long start = System.nanoTime();
        report = Matcher.match(Sbom.parse(bytes), index, VexStatements.none(), null);
        ours[i] = System.nanoTime() - start;
      }
      Arrays.sort(ours);
      Sbom parsed = Sbom.parse(bytes);
      long[] matchOnly = new long[OUR_RUNS];
      for (int i = 0; i < OUR_RUNS; i++) {
        long start = System.nanoTime();
        Matcher.match(parsed, index, VexStatements.none(), null);
        matchOnly[i] = System.nanoTime() - start;
      }
      Arrays.sort(matchOnly);
      long[] theirs = new long[THEIR_RUNS];
      OsvScanner.Timed last = null;
      for (int i = 0; i < THEIR_RUNS; i++) {
        last = osvScanner.timedScan(bytes);
        theirs[i] = last.nanos();
      }
      Arrays.sort(theirs);
      double ourP50 = ours[OUR_RUNS / 2] / 1e6;
      double ourP99 = ours[OUR_RUNS * 99 / 100] / 1e6;
      double theirP50 = theirs[THEIR_RUNS / 2] / 1e6;
      out.append(
          String.format(
              "%-32s %6d %12.2f %12.2f %11.2f %14.1f %8.0fx %4d/%-5d %12s%n",
              s[0],
              report.componentsChecked() + report.unchecked().size(),
              ourP50,
              ourP99,
              matchOnly[OUR_RUNS / 2] / 1e6,
              theirP50,
              theirP50 / ourP50,
              report.findings().size(),
              last.findings(),
              last.maxRssKib() < 0 ? "n/a" : String.valueOf(last.maxRssKib() / 1024)));
    }
    out.append(
        "(ours: parse + match in this JVM, warm, match p50 without parsing, "
            + OUR_RUNS
            + " runs; osv-scanner: whole process per SBOM incl. loading its database, median of "
            + THEIR_RUNS
            + "; findings: ours/osv-scanner)\n");
    System.out.println(out);
  }

  private static long usedHeap() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
