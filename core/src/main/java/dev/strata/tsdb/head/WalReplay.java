package dev.strata.tsdb.head;

import dev.strata.tsdb.record.SampleBatch;
import dev.strata.tsdb.record.WalRecordType;
import dev.strata.tsdb.record.WalRecords;
import dev.strata.tsdb.wal.WalCorruptionException;
import dev.strata.tsdb.wal.WalReader;
import dev.strata.tsdb.wal.WalRepair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a head from its write-ahead log: the newest checkpoint, then the segments after it. A
 * damaged tail (a torn write, a bad CRC) is cut off and the log repaired, and what was lost is
 * logged: everything before it was committed and is kept. A damaged checkpoint is an error, since
 * nothing after it could be trusted.
 */
final class WalReplay {
  private static final Logger LOG = LoggerFactory.getLogger(WalReplay.class);

  private final Head head;
  private final SampleBatch samples = new SampleBatch();
  // A series logged twice under different references (possible across checkpoints, and when a
  // series truncation removed comes back) maps the later reference to the series already created.
  // The head keeps the map: checkpoints must keep what is logged under either reference.
  private final LongLongMap aliases;
  long seriesRecords;
  long samplesReplayed;
  long samplesUnknownSeries;
  long samplesOutOfOrder;
  long tombstones;
  long bytesDropped;

  private WalReplay(Head head) {
    this.head = head;
    this.aliases = head.replayAliases;
  }

  static WalReplay replay(Head head, Path walDir, boolean repair) throws IOException {
    WalReplay r = new WalReplay(head);
    long start = System.nanoTime();
    if (!java.nio.file.Files.isDirectory(walDir)) {
      return r;
    }
    OptionalInt checkpoint = WalCheckpoint.latest(walDir);
    int from = 0;
    if (checkpoint.isPresent()) {
      try (WalReader reader = WalReader.open(WalCheckpoint.dir(walDir, checkpoint.getAsInt()))) {
        r.read(reader);
      }
      from = checkpoint.getAsInt() + 1;
    }
    try (WalReader reader = WalReader.open(walDir, from, Integer.MAX_VALUE)) {
      r.read(reader);
    } catch (WalCorruptionException e) {
      LOG.warn("WAL is damaged, keeping everything before the damage: {}", e.getMessage());
      if (repair) {
        r.bytesDropped = WalRepair.repair(walDir, e);
      }
    }
    head.series.forEach(MemSeries::syncLoggedState);
    LOG.info(
        "WAL replay of {} took {} ms: {} series records, {} samples, {} tombstones, {} samples of"
            + " unknown series and {} out-of-order samples skipped, {} damaged bytes dropped",
        walDir, (System.nanoTime() - start) / 1_000_000, r.seriesRecords, r.samplesReplayed,
        r.tombstones, r.samplesUnknownSeries, r.samplesOutOfOrder, r.bytesDropped);
    return r;
  }

  private void read(WalReader reader) throws IOException {
    while (reader.next()) {
      byte[] rec = reader.record();
      int len = reader.recordLength();
      switch (WalRecordType.of(rec, len)) {
        case WalRecordType.SERIES -> WalRecords.decodeSeries(rec, len, where(reader), (ref, labels) -> {
          seriesRecords++;
          MemSeries s = head.createForReplay(ref, labels);
          if (s.ref != ref) {
            aliases.put(ref, s.ref);
          }
        });
        case WalRecordType.SAMPLES -> {
          WalRecords.decodeSamples(rec, len, where(reader), samples);
          apply();
        }
        case WalRecordType.TOMBSTONES ->
            WalRecords.decodeTombstones(rec, len, where(reader), (ref, mint, maxt) -> {
              tombstones++;
              head.addTombstone(aliases.get(ref, ref), mint, maxt);
            });
        default -> {
          // exemplars, metadata and mmap markers do not rebuild the head
        }
      }
    }
  }

  private void apply() {
    long minValid = head.minValidTime();
    for (int i = 0; i < samples.size(); i++) {
      long ref = aliases.get(samples.ref(i), samples.ref(i));
      MemSeries s = head.seriesByRef(ref);
      if (s == null) {
        samplesUnknownSeries++;
        continue;
      }
      long t = samples.time(i);
      if (t < minValid) {
        continue; // already in a block
      }
      int result = s.replay(t, samples.valueBits(i), head.options.chunkRange(), head.arena);
      if (result == MemSeries.APPENDED) {
        samplesReplayed++;
        head.extendTimeRange(t, t);
      } else if (result == MemSeries.OUT_OF_ORDER) {
        samplesOutOfOrder++;
      }
    }
  }

  private static String where(WalReader reader) {
    return "WAL segment " + reader.segment() + " at offset " + reader.offset();
  }
}
