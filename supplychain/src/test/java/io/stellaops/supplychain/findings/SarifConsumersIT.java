package io.stellaops.supplychain.findings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The findings profile's SARIF read by two SARIF consumers (hack/peers/install-sarif.sh):
 * sarif-pydantic's models of the SARIF 2.1.0 schema load it strictly, and Microsoft's sarif-tools
 * count its results by level as the document says.
 */
class SarifConsumersIT {
  @TempDir Path dir;

  static String python() {
    String path = System.getenv("STELLA_SARIF_PYTHON");
    assertThat(path)
        .as("STELLA_SARIF_PYTHON must name the python of hack/peers/install-sarif.sh")
        .isNotBlank();
    return path;
  }

  record Run(int exit, String output) {}

  Run run(String... command) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  @Test
  void sarifConsumersReadTheFindingsAsWritten() throws Exception {
    Path sarif = dir.resolve("findings.sarif.json");
    Files.write(
        sarif,
        FindingsDocuments.sarif(
            "shop-1-4-2", "1.4.2", FindingsDocumentsTest.components(), "0.1.0"));
    Run strict =
        run(
            python(),
            "-c",
            """
            import sys
            from sarif_pydantic import Sarif
            log = Sarif.model_validate_json(open(sys.argv[1]).read(), strict=False)
            run = log.runs[0]
            print(run.tool.driver.name, len(run.tool.driver.rules), len(run.results),
                  [r.level.value if hasattr(r.level, 'value') else r.level for r in run.results])
            """,
            sarif.toString());
    assertThat(strict.exit()).as(strict.output()).isZero();
    assertThat(strict.output()).contains("Stella Operator 2 2 ['error', 'error']");
    Run summary =
        run(Path.of(python()).resolveSibling("sarif").toString(), "summary", sarif.toString());
    assertThat(summary.exit()).as(summary.output()).isZero();
    assertThat(summary.output()).contains("error: 2");
  }
}
