package dev.strata.tier.objstore;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An entry of a listing: an object, or, in a listing that is not recursive, a common prefix
 * ("directory", key ending in {@code /}) that has neither size nor time.
 */
public record ListEntry(String key, boolean directory, long size, Optional<Instant> lastModified) {
  public ListEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(lastModified, "lastModified");
  }

  public static ListEntry object(String key, long size, Instant lastModified) {
    return new ListEntry(key, false, size, Optional.of(lastModified));
  }

  public static ListEntry directory(String key) {
    return new ListEntry(key, true, 0, Optional.empty());
  }
}
