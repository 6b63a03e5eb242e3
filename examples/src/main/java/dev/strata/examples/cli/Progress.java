package dev.strata.examples.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A status line for long work, redrawn in place every second on a terminal ({@code \r}, then
 * cleared when the work is done), so that a person sees it move. When the output is not a
 * terminal it prints nothing at all: logs and pipes get only the results.
 */
final class Progress implements AutoCloseable {
  private static final long INTERVAL_MS = 1_000;

  private final PrintWriter out;
  private final Supplier<String> status;
  private final ScheduledExecutorService timer;
  private int lastWidth;

  private Progress(PrintWriter out, Supplier<String> status, boolean enabled) {
    this.out = out;
    this.status = status;
    if (enabled) {
      timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "strata-progress");
        t.setDaemon(true);
        return t;
      });
      timer.scheduleAtFixedRate(this::draw, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    } else {
      timer = null;
    }
  }

  /** Shows {@code status} on {@code out} every second while open, if the process has a terminal. */
  static Progress onTerminal(PrintWriter out, Supplier<String> status) {
    return new Progress(out, status, isTerminal());
  }

  /** Shows {@code status} whether or not there is a terminal (tests). */
  static Progress always(PrintWriter out, Supplier<String> status) {
    return new Progress(out, status, true);
  }

  private synchronized void draw() {
    String line = status.get();
    // Pad over the longer line drawn before, so nothing of it is left on the screen.
    out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
    out.flush();
    lastWidth = line.length();
  }

  @Override
  public void close() {
    if (timer == null) {
      return;
    }
    timer.shutdownNow();
    try {
      timer.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (lastWidth > 0) {
        out.print("\r" + " ".repeat(lastWidth) + "\r");
        out.flush();
      }
    }
  }

  // Before Java 22 a console exists only when both standard input and output are terminals; from
  // 22 on it may exist without one, and Console.isTerminal() tells.
  private static boolean isTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
