package dev.strata.tier.storeapi;

import dev.strata.tsdb.storage.Querier;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A querier over one piece of a source that fails on its own, such as one block of a bucket: the
 * server opens it when it reads it, and a failure names the piece. Under the {@code WARN}
 * partial-response strategy a failed piece becomes a warning and the others are still served.
 *
 * @param name what a failure is blamed on, e.g. {@code "block 01H..."}
 * @param opener opens the querier; the caller closes it
 */
public record NamedQuerier(String name, Supplier<Querier> opener) {

  public NamedQuerier {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(opener, "opener");
  }
}
