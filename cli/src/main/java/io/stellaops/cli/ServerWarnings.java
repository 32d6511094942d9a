package io.stellaops.cli;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints the API server's (and its admission webhooks') warnings as kubectl does, {@code Warning:
 * <text>} on stderr: a promotion of a release that does not exist yet is admitted with one, and the
 * client library only logs them at debug level.
 */
final class ServerWarnings implements Interceptor {
  // RFC 7234 warning-value as the API server writes it: 299 - "text"
  private static final Pattern VALUE = Pattern.compile("^\\d{3} \\S+ \"((?:[^\"\\\\]|\\\\.)*)\"");

  private final Supplier<PrintWriter> err;

  ServerWarnings(Supplier<PrintWriter> err) {
    this.err = err;
  }

  @Override
  public void after(
      HttpRequest request,
      HttpResponse<?> response,
      AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    List<String> warnings = response.headers("Warning");
    if (warnings != null) {
      warnings.forEach(w -> err.get().println("Warning: " + text(w)));
    }
  }

  static String text(String header) {
    Matcher m = VALUE.matcher(header);
    return m.find() ? m.group(1).replaceAll("\\\\(.)", "$1") : header;
  }
}
