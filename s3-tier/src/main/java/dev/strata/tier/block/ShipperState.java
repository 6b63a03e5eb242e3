package dev.strata.tier.block;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.fileutil.FileSync;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shipper's progress file {@code thanos.shipper.json}: {@code {"version": 1, "uploaded":
 * [ULIDs]}}, tab-indented as Thanos writes it, replaced atomically.
 */
public record ShipperState(Set<Ulid> uploaded) {
  private static final Logger LOG = LoggerFactory.getLogger(ShipperState.class);

  /** The file name in the TSDB directory. */
  public static final String FILE_NAME = "thanos.shipper.json";

  public ShipperState {
    uploaded = Collections.unmodifiableSet(new LinkedHashSet<>(uploaded));
  }

  /**
   * Reads the file in {@code dataDir}; a missing file is an empty state, and so is an unreadable
   * one (logged): the shipper then checks the bucket for every block, which re-uploads nothing.
   */
  public static ShipperState read(Path dataDir) throws IOException {
    Path f = dataDir.resolve(FILE_NAME);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(f);
    } catch (NoSuchFileException e) {
      return new ShipperState(Set.of());
    }
    Optional<ShipperState> s = decode(bytes);
    if (s.isEmpty()) {
      LOG.warn("ignoring unreadable {}; the bucket will be checked for every block", f);
      return new ShipperState(Set.of());
    }
    return s.get();
  }

  static Optional<ShipperState> decode(byte[] bytes) {
    try {
      JsonNode n = DeletionMark.JSON.readTree(bytes);
      if (n == null || n.path("version").asInt() != 1) {
        return Optional.empty();
      }
      Set<Ulid> ids = new LinkedHashSet<>();
      for (JsonNode u : n.path("uploaded")) {
        Optional<Ulid> id = Ulid.tryParse(u.asText(""));
        if (id.isEmpty()) {
          return Optional.empty();
        }
        ids.add(id.get());
      }
      return Optional.of(new ShipperState(ids));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  byte[] encode() {
    // Go's encoder with tab indentation; an empty list is Go's nil slice.
    StringBuilder sb = new StringBuilder("{\n\t\"version\": 1,\n\t\"uploaded\": ");
    if (uploaded.isEmpty()) {
      sb.append("null");
    } else {
      sb.append("[\n");
      int i = 0;
      for (Ulid u : uploaded) {
        sb.append("\t\t\"").append(u).append('"').append(++i < uploaded.size() ? ",\n" : "\n");
      }
      sb.append("\t]");
    }
    sb.append("\n}\n");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Replaces the file in {@code dataDir} atomically and durably. */
  public static void write(Path dataDir, ShipperState state) throws IOException {
    FileSync.writeAtomically(dataDir.resolve(FILE_NAME), dataDir.resolve(FILE_NAME + ".tmp"),
        state.encode());
  }
}
