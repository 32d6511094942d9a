package io.stellaops.decision.gates;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.stellaops.crds.environment.FreezeWindow;
import io.stellaops.decision.Decision.FreezeEvaluation;
import io.stellaops.supplychain.time.GoDuration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Whether an environment is frozen at an instant, by which window, and until when. */
public final class FreezeWindowGate {
  private static final CronParser CRON =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private FreezeWindowGate() {}

  /** A window in force: its name and when it ends. */
  public record ActiveWindow(String name, Instant until, String reason) {}

  /**
   * The window in force at {@code now} that ends last, if any. A window that cannot be read (bad
   * schedule or time zone) throws, so the caller fails closed.
   */
  public static Optional<ActiveWindow> activeAt(List<FreezeWindow> windows, Instant now) {
    return (windows == null ? List.<FreezeWindow>of() : windows)
        .stream()
            .map(w -> active(w, now))
            .flatMap(Optional::stream)
            .max(Comparator.comparing(ActiveWindow::until).thenComparing(ActiveWindow::name));
  }

  private static Optional<ActiveWindow> active(FreezeWindow w, Instant now) {
    if (w.start() != null) {
      Instant start = Instant.parse(w.start());
      Instant end = Instant.parse(w.end());
      return !now.isBefore(start) && now.isBefore(end)
          ? Optional.of(new ActiveWindow(w.name(), end, w.reason()))
          : Optional.empty();
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(w.timeZone() == null ? "UTC" : w.timeZone());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "freeze window " + w.name() + ": unknown time zone " + w.timeZone(), e);
    }
    ExecutionTime schedule;
    try {
      schedule = ExecutionTime.forCron(CRON.parse(w.schedule()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "freeze window "
              + w.name()
              + ": invalid schedule \""
              + w.schedule()
              + "\": "
              + e.getMessage(),
          e);
    }
    ZonedDateTime local = now.atZone(zone);
    ZonedDateTime minute = local.truncatedTo(ChronoUnit.MINUTES);
    Optional<ZonedDateTime> lastStart =
        schedule.isMatch(minute) ? Optional.of(minute) : schedule.lastExecution(local);
    return lastStart
        .map(start -> start.toInstant().plus(GoDuration.parse(w.duration())))
        .filter(end -> end.isAfter(now))
        .map(end -> new ActiveWindow(w.name(), end, w.reason()));
  }

  /** The evaluation recorded in a decision, given an optional exemption. */
  public static FreezeEvaluation evaluation(Optional<ActiveWindow> window, String exemptedBy) {
    return window
        .map(a -> new FreezeEvaluation(true, a.name(), a.until().toString(), exemptedBy))
        .orElse(FreezeEvaluation.NOT_FROZEN);
  }
}
