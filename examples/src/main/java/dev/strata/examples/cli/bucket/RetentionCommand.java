package dev.strata.examples.cli.bucket;

import dev.strata.examples.cli.RetentionOptions;
import dev.strata.tier.compact.BucketCompactor;
import dev.strata.tier.compact.CompactorOptions;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.fileutil.FileTrees;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code strata bucket retention}: the compactor's retention alone, once, as Thanos's {@code tools
 * bucket retention}: blocks past the retention of their resolution get a deletion mark (the
 * compactor, or {@code strata bucket cleanup}, deletes them after the delete delay).
 */
@Command(name = "retention",
    description = "Mark for deletion the blocks past the retention of their resolution.")
final class RetentionCommand implements Callable<Integer> {
  @Mixin ObjstoreOption objstore;
  @Mixin RetentionOptions retention;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    return ObjstoreOption.guarded(spec, () -> {
      PrintWriter out = spec.commandLine().getOut();
      Path scratch = Files.createTempDirectory("strata-retention");
      try (Bucket bucket = objstore.open()) {
        CompactorOptions options = retention.applyTo(CompactorOptions.builder(scratch))
            .downsampling(false).consistencyDelay(Duration.ZERO).build();
        List<Ulid> marked = new BucketCompactor(bucket, options).applyRetention();
        marked.forEach(id -> out.printf("%s  marked for deletion%n", id));
        out.printf("%d blocks past their retention marked%n", marked.size());
      } finally {
        FileTrees.deleteRecursively(scratch);
      }
      out.flush();
      return 0;
    });
  }
}
