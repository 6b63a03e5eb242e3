package dev.strata.tier.compact;

import dev.strata.tier.block.Parallel;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.Ulid;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The tail of one compaction (upload the new block, {@code meta.json} last, then mark its sources)
 * run on its own thread while the next compaction of the group downloads and merges: the link
 * and the CPU work at once. One at a time, so the scratch space holds at most one block waiting
 * to go up besides the compaction in progress; the order of each compaction's own steps, and so
 * what a crash leaves, is unchanged.
 */
final class BackgroundUpload implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BackgroundUpload.class);

  /** What a finished upload did. */
  record Done(BlockMeta uploaded, List<Ulid> marked, long bytesUploaded) {}

  /** The upload and marking, on the background thread. */
  @FunctionalInterface
  interface Job {
    Done run() throws IOException;
  }

  private final ExecutorService thread;
  private Future<Done> pending;
  private Ulid pendingBlock;

  BackgroundUpload(String name) {
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /** Whether {@code block} is the one still going up (not yet readable from the bucket). */
  boolean isPending(Ulid block) {
    return pending != null && block.equals(pendingBlock);
  }

  /** Starts {@code job} for {@code block}, after the previous one has finished. */
  Optional<Done> submit(Ulid block, Job job) throws IOException {
    Optional<Done> previous = await();
    pendingBlock = block;
    pending = thread.submit(job::run);
    return previous;
  }

  /** Waits for the upload in flight, if any; its failure is thrown here. */
  Optional<Done> await() throws IOException {
    if (pending == null) {
      return Optional.empty();
    }
    Future<Done> f = pending;
    pending = null;
    pendingBlock = null;
    try {
      return Optional.of(f.get());
    } catch (ExecutionException e) {
      throw Parallel.rethrow(e.getCause(), "upload of a compacted block");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for an upload");
    }
  }

  /** Lets an upload in flight finish (a failure was or will be reported by the caller's path). */
  @Override
  public void close() {
    try {
      if (pending != null) {
        pending.get();
      }
    } catch (ExecutionException e) {
      // The group already failed on another step; its next pass starts from what the bucket holds.
      LOG.warn("an upload of a compacted block failed too: {}", e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      thread.shutdownNow();
    }
  }
}
