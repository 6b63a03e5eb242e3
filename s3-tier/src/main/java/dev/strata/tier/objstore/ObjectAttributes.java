package dev.strata.tier.objstore;

import java.time.Instant;
import java.util.Objects;

/**
 * What a bucket knows about an object without reading it.
 *
 * @param size bytes
 * @param lastModified when it was written, as the store records it (S3: second precision)
 */
public record ObjectAttributes(long size, Instant lastModified) {
  public ObjectAttributes {
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size);
    }
    Objects.requireNonNull(lastModified, "lastModified");
  }
}
