package dev.strata.examples.cli.bucket;

import dev.strata.tier.block.BucketBlocks;
import dev.strata.tier.block.MetaSync;
import dev.strata.tier.block.SyncedBlock;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockMetaFile;
import dev.strata.tsdb.block.Ulid;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code strata bucket inspect}: stats of every block, or the details of the ones named. */
@Command(name = "inspect", description = "Show block stats; with ULIDs, each block's meta.json and files.")
final class InspectCommand implements Callable<Integer> {
  @Mixin ObjstoreOption objstore;

  @Parameters(arity = "0..*", paramLabel = "ULID", description = "Blocks to show in full.")
  List<String> ids = List.of();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    return ObjstoreOption.guarded(spec, this::run);
  }

  private int run() throws java.io.IOException {
    PrintWriter out = spec.commandLine().getOut();
    try (Bucket bucket = objstore.open()) {
      if (ids.isEmpty()) {
        MetaSync.Result r = MetaSync.builder(bucket).build().sync();
        out.printf("%-26s  %-20s  %-7s  %10s  %12s  %8s  %-4s  %-8s  %s%n", "ULID", "FROM", "RANGE",
            "SERIES", "SAMPLES", "CHUNKS", "RES", "SOURCE", "LABELS");
        long series = 0;
        long samples = 0;
        long bytes = 0;
        for (BlockMeta m : r.metasByTime()) {
          SyncedBlock b = r.blocks().get(m.ulid());
          out.printf("%-26s  %-20s  %-7s  %10d  %12d  %8d  %-4s  %-8s  %s%n", m.ulid(),
              Formats.time(m.minTime()), Formats.duration(m.maxTime() - m.minTime()),
              m.stats().numSeries(), m.stats().numSamples(), m.stats().numChunks(),
              Formats.resolution(m), m.thanos().map(t -> t.source()).orElse(""), Formats.labels(m));
          series += m.stats().numSeries();
          samples += m.stats().numSamples();
          bytes += b.sizeBytes();
        }
        out.printf("%d blocks, %d series (summed over blocks), %d samples, %s%n", r.blocks().size(),
            series, samples, Formats.bytes(bytes));
        out.flush();
        return 0;
      }
      BucketBlocks blocks = new BucketBlocks(bucket);
      int missing = 0;
      for (String text : ids) {
        Ulid id = Ulid.tryParse(text).orElseThrow(
            () -> new CommandLine.ParameterException(spec.commandLine(), "'" + text + "' is not a ULID"));
        var meta = blocks.meta(id);
        if (meta.isEmpty()) {
          out.printf("%s: no meta.json (missing or a partial upload)%n", id);
          missing++;
          continue;
        }
        out.printf("%s%n", id);
        out.print(new String(BlockMetaFile.encode(meta.get()), StandardCharsets.UTF_8));
        out.printf("files:%n");
        for (Map.Entry<String, Long> f : blocks.files(id).entrySet()) {
          out.printf("  %-24s %12d%n", f.getKey(), f.getValue());
        }
        blocks.deletionMark(id).ifPresent(d -> out.printf("marked for deletion at %s%s%n",
            Formats.time(d.deletionTime() * 1000), d.details().isEmpty() ? "" : ": " + d.details()));
        blocks.noCompactMark(id).ifPresent(n -> out.printf("no-compact (%s)%n", n.reason()));
      }
      out.flush();
      return missing == 0 ? 0 : 1;
    }
  }
}
