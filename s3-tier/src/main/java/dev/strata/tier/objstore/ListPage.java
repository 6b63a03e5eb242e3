package dev.strata.tier.objstore;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One page of a listing; {@code nextPageToken} is present when more entries follow. */
public record ListPage(List<ListEntry> entries, Optional<String> nextPageToken) {
  public ListPage {
    entries = List.copyOf(entries);
    Objects.requireNonNull(nextPageToken, "nextPageToken");
  }
}
