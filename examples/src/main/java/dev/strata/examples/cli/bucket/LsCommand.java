package dev.strata.examples.cli.bucket;

import dev.strata.tier.block.MetaSync;
import dev.strata.tier.block.SyncedBlock;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.Ulid;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code strata bucket ls}: one line per block, oldest first. */
@Command(name = "ls", description = "List the blocks of a bucket with time range, resolution, labels and size.")
final class LsCommand implements Callable<Integer> {
  @Mixin ObjstoreOption objstore;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    return ObjstoreOption.guarded(spec, this::run);
  }

  private int run() throws java.io.IOException {
    PrintWriter out = spec.commandLine().getOut();
    try (Bucket bucket = objstore.open()) {
      MetaSync.Result r = MetaSync.builder(bucket).build().sync();
      out.printf("%-26s  %-20s  %-20s  %-7s  %-4s  %5s  %10s  %s%n", "ULID", "FROM", "UNTIL",
          "RANGE", "RES", "LEVEL", "SIZE", "LABELS");
      for (BlockMeta m : r.metasByTime()) {
        SyncedBlock b = r.blocks().get(m.ulid());
        out.printf("%-26s  %-20s  %-20s  %-7s  %-4s  %5d  %10s  %s%s%n", m.ulid(),
            Formats.time(m.minTime()), Formats.time(m.maxTime()),
            Formats.duration(m.maxTime() - m.minTime()), Formats.resolution(m),
            m.compaction().level(), Formats.bytes(b.sizeBytes()), Formats.labels(m),
            b.deletionMark().isPresent() ? "  (marked for deletion)" : b.noCompact() ? "  (no-compact)" : "");
      }
      for (Ulid id : r.partial()) {
        out.printf("%-26s  partial upload (no meta.json)%n", id);
      }
      r.failed().forEach((id, why) -> out.printf("%-26s  unreadable meta.json: %s%n", id, why));
      out.printf("%d blocks, %d partial, %d unreadable%n", r.blocks().size(), r.partial().size(),
          r.failed().size());
      out.flush();
      return r.failed().isEmpty() ? 0 : 1;
    }
  }
}
