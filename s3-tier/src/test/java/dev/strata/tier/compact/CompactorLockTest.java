package dev.strata.tier.compact;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tier.objstore.FilesystemBucket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CompactorLock}: one compactor per bucket, a crashed one's claim taken over. */
class CompactorLockTest {
  private static final Duration LEASE = Duration.ofSeconds(90);
  private static final Duration SETTLE = Duration.ofMillis(10);
  private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"),
      ZoneOffset.UTC);

  @TempDir Path tmp;

  @Test
  void aSecondCompactorIsRefusedWithTheReason() throws Exception {
    try (FilesystemBucket bucket = FilesystemBucket.open(tmp.resolve("bucket"))) {
      CompactorLock first = CompactorLock.acquire(bucket, "host-a:/data", "first (pid 1)", LEASE,
          SETTLE, NOW);
      CompactorLock.HeldElsewhereException refused = assertThrows(
          CompactorLock.HeldElsewhereException.class, () -> CompactorLock.acquire(bucket,
              "host-b:/data", "second", LEASE, SETTLE, NOW));
      assertTrue(refused.getMessage().contains("first (pid 1)"), refused.getMessage());
      assertTrue(refused.getMessage().contains("single compactor per bucket"),
          refused.getMessage());
      first.renew();
      first.close();
      assertFalse(bucket.exists(CompactorLock.KEY), "a stop gives the bucket up");
      CompactorLock.acquire(bucket, "host-b:/data", "second", LEASE, SETTLE, NOW).close();
    }
  }

  @Test
  void aCrashedCompactorsClaimLapsesOrIsTakenBackByItsRestart() throws Exception {
    try (FilesystemBucket bucket = FilesystemBucket.open(tmp.resolve("bucket"))) {
      CompactorLock crashed = CompactorLock.acquire(bucket, "host-a:/data", "crashed", LEASE,
          SETTLE, NOW);
      // Restarted with the same host and scratch directory: the same compactor.
      CompactorLock restarted = CompactorLock.acquire(bucket, "host-a:/data", "restarted", LEASE,
          SETTLE, NOW);
      assertThrows(CompactorLock.HeldElsewhereException.class, crashed::renew);
      crashed.close();
      assertTrue(bucket.exists(CompactorLock.KEY), "the old claim does not remove the new one");
      // Another compactor waits for the lease to run out.
      assertThrows(CompactorLock.HeldElsewhereException.class, () -> CompactorLock.acquire(
          bucket, "host-b:/data", "other", LEASE, SETTLE, NOW));
      Clock later = Clock.offset(NOW, LEASE.plusSeconds(1));
      CompactorLock other = CompactorLock.acquire(bucket, "host-b:/data", "other", LEASE, SETTLE,
          later);
      assertThrows(CompactorLock.HeldElsewhereException.class, restarted::renew);
      other.close();
    }
  }
}
