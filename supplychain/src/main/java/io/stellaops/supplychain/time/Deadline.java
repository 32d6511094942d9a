package io.stellaops.supplychain.time;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The time a piece of work (one admission request) may take, carried by the thread doing it and
 * inherited by the threads it starts. Registry requests check it before they start and never wait
 * past it, so once an answer has been given for want of time the work behind it stops at its next
 * request instead of running on. An inheritable thread local, not a parameter, because the work
 * crosses verifiers, policy evaluation and parallel lookups that have no business knowing about it.
 */
public final class Deadline {
  private static final InheritableThreadLocal<Deadline> CURRENT = new InheritableThreadLocal<>();

  private final long endNanos;
  private final Duration budget;
  private volatile boolean cancelled;
  private volatile String waitingFor;

  private Deadline(Duration budget) {
    this.budget = budget;
    this.endNanos = System.nanoTime() + budget.toNanos();
  }

  /**
   * Work past its deadline. Whoever catches it on the way and carries on meets it again at the next
   * request; whoever reaches a verdict checks {@link #passed} first.
   */
  public static final class Exceeded extends RuntimeException {
    Exceeded(String message) {
      super(message);
    }
  }

  /** A deadline {@code budget} from now, not yet in force on any thread. */
  public static Deadline in(Duration budget) {
    return new Deadline(budget);
  }

  /** Runs {@code work} on this thread (and threads it starts) under this deadline. */
  public <T> T run(Supplier<T> work) {
    Deadline outer = CURRENT.get();
    CURRENT.set(this);
    try {
      return work.get();
    } finally {
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    }
  }

  /** The deadline in force on this thread, if any. */
  public static Optional<Deadline> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  /**
   * Records that the work now waits on {@code whom} (a registry host; null once it answered), so an
   * answer given for want of time can name it.
   */
  public void waitOn(String whom) {
    waitingFor = whom;
  }

  /** What the work last waited on, or null. */
  public String waitingFor() {
    return waitingFor;
  }

  /** Ends the work now: an answer was given without it. */
  public void cancel() {
    cancelled = true;
  }

  /** Whether the time is up or the work was cancelled. */
  public boolean passed() {
    return cancelled || System.nanoTime() - endNanos >= 0;
  }

  /** Throws {@link Exceeded} naming {@code what} when the time is up. */
  public void check(String what) {
    if (passed()) {
      throw new Exceeded(
          (cancelled ? "stopped before " : "no time left for ")
              + what
              + " (the check may take "
              + budget.toMillis()
              + " ms)");
    }
  }

  /** {@code wanted}, or less when less time is left (never below a millisecond). */
  public Duration cap(Duration wanted) {
    long left = Math.max(endNanos - System.nanoTime(), 1_000_000);
    return wanted.toNanos() <= left ? wanted : Duration.ofNanos(left);
  }

  /** {@code wanted}, capped by the deadline in force on this thread, if any. */
  public static Duration capped(Duration wanted) {
    Deadline deadline = CURRENT.get();
    return deadline == null ? wanted : deadline.cap(wanted);
  }
}
