package io.stellaops.agents.driver;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A job's log: every line goes to the agent's log, the last ones into the job's status. */
public final class JobLog {
  private static final Logger LOG = LoggerFactory.getLogger(JobLog.class);
  private static final int TAIL_LINES = 40;

  private final String job;
  private final Clock clock;
  private final Deque<String> tail = new ArrayDeque<>();

  public JobLog(String job, Clock clock) {
    this.job = job;
    this.clock = clock;
  }

  public synchronized void info(String line) {
    LOG.info("[{}] {}", job, line);
    tail.addLast(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS) + " " + line);
    while (tail.size() > TAIL_LINES) {
      tail.removeFirst();
    }
  }

  /** The last lines, oldest first, at most 4 KiB so the job object stays small. */
  public synchronized String tail() {
    String text = String.join("\n", tail);
    return text.length() <= 4096 ? text : text.substring(text.length() - 4096);
  }
}
