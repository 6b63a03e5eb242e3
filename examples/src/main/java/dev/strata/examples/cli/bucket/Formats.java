package dev.strata.examples.cli.bucket;

import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.ThanosMeta;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.stream.Collectors;

/** Text forms shared by the bucket subcommands. */
final class Formats {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private Formats() {}

  static String time(long millis) {
    return TIME.format(Instant.ofEpochMilli(millis));
  }

  static String duration(long millis) {
    Duration d = Duration.ofMillis(millis);
    long h = d.toHours();
    long m = d.toMinutesPart();
    return h >= 48 ? (h / 24) + "d" + (h % 24 > 0 ? (h % 24) + "h" : "") : h + "h" + (m > 0 ? m + "m" : "");
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format("%.1f %s", v, units[u]);
  }

  static String resolution(BlockMeta m) {
    long r = m.thanos().map(ThanosMeta::downsampleResolution).orElse(0L);
    return r == 0 ? "raw" : r == ThanosMeta.RESOLUTION_5M ? "5m" : r == ThanosMeta.RESOLUTION_1H ? "1h" : r + "ms";
  }

  static String labels(BlockMeta m) {
    Map<String, String> l = m.thanos().map(ThanosMeta::labels).orElse(Map.of());
    return l.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(",", "{", "}"));
  }
}
