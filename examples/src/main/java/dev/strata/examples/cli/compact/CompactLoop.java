package dev.strata.examples.cli.compact;

import dev.strata.tier.compact.BucketCompactor;
import dev.strata.tier.compact.CompactionHaltedException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compaction pass every interval, on a thread of its own. A failed pass is logged and counted
 * and the next interval tries again; a halt stops the passes for good (the process stays up, as
 * Thanos's does, so that the halt is seen on {@code thanos_compact_halted} and in the log). A stop
 * interrupts a pass in flight: every step of a pass is safe to interrupt.
 */
final class CompactLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CompactLoop.class);

  private final BucketCompactor compactor;
  private final CompactMetrics metrics;
  private final Duration interval;
  private final Thread thread;

  CompactLoop(BucketCompactor compactor, CompactMetrics metrics, Duration interval) {
    this.compactor = compactor;
    this.metrics = metrics;
    this.interval = interval;
    this.thread = new Thread(this::loop, "strata-compact");
  }

  void start() {
    thread.start();
  }

  private void loop() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        long start = System.nanoTime();
        BucketCompactor.Pass pass = compactor.run();
        metrics.record(pass);
        LOG.info("pass done in {} ms: {} blocks compacted, {} downsampled, {} marked for"
                + " deletion, {} deleted", (System.nanoTime() - start) / 1_000_000,
            pass.compacted().size(), pass.downsampled().size(), pass.markedForDeletion().size(),
            pass.deleted().size());
      } catch (CompactionHaltedException e) {
        metrics.halted();
        LOG.error("compaction halted, no more passes until restarted: {}", e.getMessage());
        return;
      } catch (Exception e) {
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        metrics.failed();
        LOG.error("pass failed, retrying in {} s: {}", interval.toSeconds(), e.toString());
      }
      try {
        TimeUnit.MILLISECONDS.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Interrupts a pass in flight and waits for the thread to end. */
  @Override
  public void close() throws InterruptedException {
    thread.interrupt();
    thread.join(TimeUnit.MINUTES.toMillis(1));
  }
}
