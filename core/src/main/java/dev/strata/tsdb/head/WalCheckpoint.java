package dev.strata.tsdb.head;

import dev.strata.tsdb.encoding.ByteSink;
import dev.strata.tsdb.fileutil.FileSync;
import dev.strata.tsdb.fileutil.FileTrees;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.record.SampleBatch;
import dev.strata.tsdb.record.WalRecordType;
import dev.strata.tsdb.record.WalRecords;
import dev.strata.tsdb.wal.WalFormat;
import dev.strata.tsdb.wal.WalReader;
import dev.strata.tsdb.wal.WalWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.LongPredicate;
import java.util.stream.Stream;

/**
 * Checkpoints of the write-ahead log, in Prometheus's layout: a directory {@code
 * checkpoint.NNNNNNNN} holding, as WAL segments, what the head still needs from the segments up to
 * {@code NNNNNNNN}: the series still alive, samples at or after the head's new start, and
 * tombstones that still matter. Once a checkpoint is complete those segments and older checkpoints
 * are deleted, so the log stays proportional to the head.
 */
final class WalCheckpoint {
  static final String PREFIX = "checkpoint.";

  private WalCheckpoint() {}

  /** The index of the newest complete checkpoint in {@code walDir}, if any. */
  static OptionalInt latest(Path walDir) throws IOException {
    int best = -1;
    if (Files.isDirectory(walDir)) {
      try (Stream<Path> files = Files.list(walDir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          int index = parseIndex(p.getFileName().toString());
          if (index > best && Files.isDirectory(p)) {
            best = index;
          }
        }
      }
    }
    return best < 0 ? OptionalInt.empty() : OptionalInt.of(best);
  }

  private static int parseIndex(String name) {
    if (!name.startsWith(PREFIX) || name.length() != PREFIX.length() + 8) {
      return -1;
    }
    try {
      return Integer.parseInt(name.substring(PREFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static Path dir(Path walDir, int index) {
    return walDir.resolve(PREFIX + WalFormat.segmentName(index));
  }

  /**
   * Writes a checkpoint of segments up to {@code last} (and the previous checkpoint), keeping series
   * for which {@code keepSeries} holds, samples at or after {@code minTime} and tombstones ending at
   * or after it; then deletes those segments and older checkpoints.
   */
  static void create(
      Path walDir, int last, LongPredicate keepSeries, long minTime, boolean compress)
      throws IOException {
    OptionalInt previous = latest(walDir);
    Path tmp = walDir.resolve(PREFIX + WalFormat.segmentName(last) + ".tmp");
    FileTrees.deleteRecursively(tmp);
    Files.createDirectories(tmp);
    try (WalWriter out = WalWriter.open(tmp, WalFormat.DEFAULT_SEGMENT_SIZE, compress)) {
      Filter filter = new Filter(out, keepSeries, minTime);
      if (previous.isPresent()) {
        try (WalReader r = WalReader.open(dir(walDir, previous.getAsInt()))) {
          filter.copy(r);
        }
      }
      int from = previous.isPresent() ? previous.getAsInt() + 1 : 0;
      try (WalReader r = WalReader.open(walDir, from, last)) {
        filter.copy(r);
      }
    }
    FileSync.directory(tmp);
    Path target = dir(walDir, last);
    FileTrees.deleteRecursively(target);
    FileSync.atomicRename(tmp, target);
    // Everything up to `last` is now in the checkpoint.
    for (int index : WalFormat.segmentIndexes(walDir)) {
      if (index <= last) {
        Files.deleteIfExists(walDir.resolve(WalFormat.segmentName(index)));
      }
    }
    try (Stream<Path> files = Files.list(walDir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        int index = parseIndex(p.getFileName().toString());
        if (index >= 0 && index < last) {
          FileTrees.deleteRecursively(p);
        }
      }
    }
    FileSync.directory(walDir);
  }

  // Rewrites records, dropping what the head no longer needs.
  private static final class Filter {
    private final WalWriter out;
    private final LongPredicate keepSeries;
    private final long minTime;
    private final ByteSink sink = new ByteSink();
    private final SampleBatch samples = new SampleBatch();
    private final SampleBatch kept = new SampleBatch();

    Filter(WalWriter out, LongPredicate keepSeries, long minTime) {
      this.out = out;
      this.keepSeries = keepSeries;
      this.minTime = minTime;
    }

    void copy(WalReader r) throws IOException {
      while (r.next()) {
        byte[] rec = r.record();
        int len = r.recordLength();
        String where = "WAL segment " + r.segment() + " at " + r.offset();
        switch (WalRecordType.of(rec, len)) {
          case WalRecordType.SERIES -> copySeries(rec, len, where);
          case WalRecordType.SAMPLES -> copySamples(rec, len, where);
          case WalRecordType.TOMBSTONES -> copyTombstones(rec, len, where);
          default -> {
            // exemplars, metadata and other records are not needed to rebuild the head
          }
        }
      }
    }

    private void copySeries(byte[] rec, int len, String where) throws IOException {
      List<Long> refs = new ArrayList<>();
      List<Labels> labels = new ArrayList<>();
      WalRecords.decodeSeries(rec, len, where, (ref, l) -> {
        if (keepSeries.test(ref)) {
          refs.add(ref);
          labels.add(l);
        }
      });
      if (refs.isEmpty()) {
        return;
      }
      sink.clear();
      WalRecords.encodeSeries(
          sink, refs.stream().mapToLong(Long::longValue).toArray(), labels.toArray(new Labels[0]),
          refs.size());
      out.log(sink.array(), 0, sink.length());
    }

    private void copySamples(byte[] rec, int len, String where) throws IOException {
      WalRecords.decodeSamples(rec, len, where, samples);
      kept.clear();
      for (int i = 0; i < samples.size(); i++) {
        if (samples.time(i) >= minTime && keepSeries.test(samples.ref(i))) {
          kept.add(samples.ref(i), samples.time(i), samples.valueBits(i));
        }
      }
      if (kept.size() == 0) {
        return;
      }
      sink.clear();
      WalRecords.encodeSamples(sink, kept);
      out.log(sink.array(), 0, sink.length());
    }

    private void copyTombstones(byte[] rec, int len, String where) throws IOException {
      List<long[]> keep = new ArrayList<>();
      WalRecords.decodeTombstones(rec, len, where, (ref, a, b) -> {
        if (b >= minTime && keepSeries.test(ref)) {
          keep.add(new long[] {ref, a, b});
        }
      });
      if (keep.isEmpty()) {
        return;
      }
      long[] refs = new long[keep.size()];
      long[] mins = new long[keep.size()];
      long[] maxs = new long[keep.size()];
      for (int i = 0; i < refs.length; i++) {
        refs[i] = keep.get(i)[0];
        mins[i] = keep.get(i)[1];
        maxs[i] = keep.get(i)[2];
      }
      sink.clear();
      WalRecords.encodeTombstones(sink, refs, mins, maxs, refs.length);
      out.log(sink.array(), 0, sink.length());
    }
  }
}
