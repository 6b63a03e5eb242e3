package dev.strata.benchmarks.tsdb;

import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.TsdbOptions;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.compact.BlockWriter;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import dev.strata.tsdb.storage.BlockReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Compacting three adjacent 2 h blocks of {@code --series} series (15 s scrapes) into one 6 h
 * block: samples per second and peak heap. Run with a fixed heap to see that it stays flat:
 * {@code java @jvm.options -Xmx512m -cp benchmarks.jar dev.strata.benchmarks.tsdb.CompactionBenchmark --series=100000}
 */
public final class CompactionBenchmark {
  static final long HOUR = 3_600_000L;

  private CompactionBenchmark() {}

  public static void main(String[] args) throws Exception {
    int series = 100_000;
    for (String a : args) {
      if (a.startsWith("--series=")) {
        series = Integer.parseInt(a.substring(9));
      }
    }
    Path dir = Files.createTempDirectory("strata-compaction-bench");
    try {
      try (Tsdb db = Tsdb.open(dir, TsdbOptions.builder().automaticCompaction(false).retentionTime(java.time.Duration.ZERO).build())) {
        Appender app = db.appender();
        long[] refs = new long[series];
        for (long t = 0; t < 8 * HOUR; t += 15_000) {
          for (int s = 0; s < series; s++) {
            double v = (t / 15_000) * 10 + s % 100;
            refs[s] = refs[s] == 0
                ? app.append(Labels.of("__name__", "m" + s % 50, "instance", "host-" + s), t, v)
                : app.append(refs[s], t, v);
          }
          app.commit();
        }
        // Cut the head into 2 h blocks only (no merging yet): compact() would merge them too, so
        // write the head blocks and stop before planning by closing right after.
        db.compact();
      }
      List<Block> blocks = new ArrayList<>();
      for (BlockDirectories.BlockDirectory d : BlockDirectories.list(dir)) {
        Block b = Block.open(d.path());
        if (b.meta().compaction().level() == 1 && b.maxTime() <= 6 * HOUR) {
          blocks.add(b);
        } else {
          b.close();
        }
      }
      if (blocks.size() != 3) {
        System.out.println("expected three 2 h blocks at level 1, found " + blocks.size()
            + "; the planner merged them already — reporting the merge it did instead");
      }
      long samples = blocks.stream().mapToLong(b -> b.meta().stats().numSamples()).sum();
      resetPeaks();
      Path out = Files.createTempDirectory("strata-compaction-out");
      long start = System.nanoTime();
      List<BlockReader> readers = new ArrayList<>();
      for (Block b : blocks) {
        readers.add(b.reader());
      }
      BlockMeta meta = BlockMeta.compacted(UlidGenerator.system().next(), blocks.stream().map(Block::meta).toList());
      BlockWriter.write(out, meta, readers);
      double seconds = (System.nanoTime() - start) / 1e9;
      readers.forEach(BlockReader::close);
      blocks.forEach(Block::close);
      System.out.printf("compacted %d blocks, %,d series, %,d samples in %.2f s: %,.0f samples/s; peak heap %.1f MiB (max heap %d MiB)%n",
          blocks.size(), series, samples, seconds, samples / seconds, peakHeapMiB(),
          Runtime.getRuntime().maxMemory() >> 20);
      IngestBenchmark.deleteTree(out);
    } finally {
      IngestBenchmark.deleteTree(dir);
    }
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  private static double peakHeapMiB() {
    long peak = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        peak += p.getPeakUsage().getUsed();
      }
    }
    return peak / (1024.0 * 1024.0);
  }
}
