package dev.strata.tier.compact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tier.objstore.ObjectNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One compactor per bucket, as Thanos requires (two would compact the same blocks twice and each
 * delete the other's sources). Thanos leaves that to the operator; Strata's compactor also claims
 * the bucket with a lease object, {@value #KEY}, which it renews while it runs and removes when it
 * stops. A second compactor finds a live lease and refuses to start; a lease not renewed for
 * {@code lease} (its holder crashed) may be taken over, and so may a live lease of the same
 * identity (the same host and scratch directory: the same compactor, restarted after a crash).
 *
 * <p>An object store has no compare-and-set here, so the claim is written and then read back
 * after a moment: of two compactors claiming at once, the one whose claim was overwritten sees
 * that and backs off. Readers (store gateways, Thanos components) list block directories only and
 * never see the object.
 */
public final class CompactorLock implements AutoCloseable {
  /** The lease object, at the root of the bucket beside the block directories. */
  public static final String KEY = "strata-compactor-lock.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Bucket bucket;
  private final Clock clock;
  private final Duration lease;
  private final String owner = UUID.randomUUID().toString();
  private final String identity;
  private final String description;
  private final Instant started;
  private boolean held;

  private CompactorLock(Bucket bucket, Clock clock, Duration lease, String identity,
      String description) {
    this.bucket = bucket;
    this.identity = identity;
    this.clock = clock;
    this.lease = lease;
    this.description = description;
    this.started = clock.instant();
  }

  /** Thrown when another compactor holds the bucket. */
  public static final class HeldElsewhereException extends IOException {
    private static final long serialVersionUID = 1L;

    HeldElsewhereException(String message) {
      super(message);
    }
  }

  /**
   * Claims {@code bucket} for the compactor {@code identity} (host and scratch directory),
   * described to people as {@code description} (with its PID, say).
   *
   * @param settle how long to wait before reading the claim back
   * @throws HeldElsewhereException if another compactor's lease is live, or overwrote this claim
   */
  public static CompactorLock acquire(Bucket bucket, String identity, String description,
      Duration lease, Duration settle, Clock clock) throws IOException, InterruptedException {
    CompactorLock lock = new CompactorLock(bucket, clock, lease, identity, description);
    Optional<JsonNode> current = lock.read();
    if (current.isPresent() && lock.live(current.get())
        && !identity.equals(current.get().path("identity").asText())) {
      throw new HeldElsewhereException(lock.heldMessage(current.get()));
    }
    lock.write();
    Thread.sleep(settle.toMillis());
    Optional<JsonNode> after = lock.read();
    if (after.isEmpty() || !lock.owner.equals(after.get().path("owner").asText())) {
      throw new HeldElsewhereException(after.map(lock::heldMessage)
          .orElse("the compactor lease " + KEY + " vanished while it was being taken"));
    }
    lock.held = true;
    return lock;
  }

  /**
   * Renews the lease; call well within the lease.
   *
   * @throws HeldElsewhereException if another compactor has taken the bucket over meanwhile
   */
  public void renew() throws IOException {
    Optional<JsonNode> current = read();
    if (current.isPresent() && !owner.equals(current.get().path("owner").asText())) {
      held = false;
      throw new HeldElsewhereException(heldMessage(current.get()));
    }
    write();
  }

  /** Removes the lease if this compactor still holds it. */
  @Override
  public void close() throws IOException {
    if (!held) {
      return;
    }
    held = false;
    Optional<JsonNode> current = read();
    if (current.isPresent() && owner.equals(current.get().path("owner").asText())) {
      bucket.delete(KEY);
    }
  }

  private boolean live(JsonNode lock) {
    Instant renewed = Instant.ofEpochMilli(lock.path("renewed_ms").asLong());
    return renewed.plus(lease).isAfter(clock.instant());
  }

  private String heldMessage(JsonNode lock) {
    return "another compactor holds bucket " + bucket.name() + ": "
        + lock.path("holder").asText("?") + ", running since "
        + Instant.ofEpochMilli(lock.path("started_ms").asLong()) + ", lease renewed "
        + Instant.ofEpochMilli(lock.path("renewed_ms").asLong()) + ". Thanos requires a single"
        + " compactor per bucket; stop the other one, or, if it is gone, wait until its lease of "
        + lease.toSeconds() + " s has run out (or delete " + KEY + ")";
  }

  private Optional<JsonNode> read() throws IOException {
    try {
      return Optional.of(JSON.readTree(bucket.readAll(KEY)));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException(bucket.name() + "/" + KEY + " is not a compactor lease: "
          + e.getOriginalMessage(), e);
    }
  }

  private void write() throws IOException {
    ObjectNode lock = JSON.createObjectNode();
    lock.put("owner", owner);
    lock.put("identity", identity);
    lock.put("holder", description);
    lock.put("started_ms", started.toEpochMilli());
    lock.put("renewed_ms", clock.millis());
    bucket.upload(KEY, JSON.writeValueAsString(lock).getBytes(StandardCharsets.UTF_8));
  }
}
