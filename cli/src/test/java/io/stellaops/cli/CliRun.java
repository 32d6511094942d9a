package io.stellaops.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One {@code kubectl stella} run in this JVM: its exit code and what it printed. */
record CliRun(int exit, String out, String err) {
  static CliRun stella(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = StellaCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new CliRun(exit, out.toString(), err.toString());
  }
}
