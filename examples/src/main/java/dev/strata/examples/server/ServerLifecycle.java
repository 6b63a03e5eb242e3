package dev.strata.examples.server;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every strata server lives and dies: parts are registered as they start, the command then
 * waits until SIGTERM or SIGINT (or {@link #stop()}), and the parts are closed in reverse order, so
 * that the HTTP and gRPC listeners stop taking requests before what answers them goes away. Each
 * step is logged.
 */
public final class ServerLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(ServerLifecycle.class);

  private final String component;
  private final Deque<AutoCloseable> parts = new ArrayDeque<>();
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);

  public ServerLifecycle(String component) {
    this.component = component;
  }

  /** {@code part} is closed at the stop, before every part registered earlier. */
  public synchronized <T extends AutoCloseable> T closeAtStop(T part) {
    parts.push(part);
    return part;
  }

  /**
   * Blocks until the process is told to stop, then closes the parts. A signal's shutdown hook
   * waits for the closing to finish, so the JVM does not exit under it.
   */
  public void awaitStop() throws InterruptedException {
    Thread hook = new Thread(() -> {
      LOG.info("{}: received a stop signal, stopping", component);
      stopRequested.countDown();
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, component + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    LOG.info("{}: started", component);
    try {
      stopRequested.await();
    } finally {
      closeAll();
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it is waiting for us, which is what we want
      }
    }
  }

  /** Asks {@link #awaitStop()} to return, as a signal would. */
  public void stop() {
    stopRequested.countDown();
  }

  private synchronized void closeAll() {
    while (!parts.isEmpty()) {
      AutoCloseable part = parts.pop();
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("{}: stopping {} failed: {}", component, part, e.toString());
      }
    }
    LOG.info("{}: stopped", component);
  }
}
