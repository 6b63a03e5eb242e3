package dev.strata.examples.cli.bucket;

import dev.strata.examples.server.ServerAddresses;
import dev.strata.tier.block.BucketBlocks;
import dev.strata.tier.objstore.Bucket;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code strata bucket cleanup}: what the compactor's cleaner does, once, as Thanos's {@code tools
 * bucket cleanup}: deletes blocks marked for deletion longer than {@code --delete-delay} ago
 * ({@code meta.json} first, the mark last) and partial uploads older than {@code
 * --partial-upload-age}. Run it only while no compactor runs on the bucket.
 */
@Command(name = "cleanup",
    description = "Delete blocks marked for deletion long enough ago, and abandoned partial uploads.")
final class CleanupCommand implements Callable<Integer> {
  @Mixin ObjstoreOption objstore;

  @Option(names = "--delete-delay", paramLabel = "DURATION", defaultValue = "48h",
      converter = ServerAddresses.GracePeriod.class,
      description = "How old a deletion mark must be (default ${DEFAULT-VALUE}).")
  Duration deleteDelay;

  @Option(names = "--partial-upload-age", paramLabel = "DURATION", defaultValue = "48h",
      converter = ServerAddresses.GracePeriod.class,
      description = "How old a block directory without meta.json must be: longer than any"
          + " upload takes (default ${DEFAULT-VALUE}).")
  Duration partialAge;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    return ObjstoreOption.guarded(spec, () -> {
      PrintWriter out = spec.commandLine().getOut();
      try (Bucket bucket = objstore.open()) {
        BucketBlocks.CleanupResult r = new BucketBlocks(bucket).cleanUp(deleteDelay, partialAge);
        r.deleted().forEach(id -> out.printf("%s  deleted (marked more than %s ago)%n", id,
            deleteDelay));
        r.partialUploads().forEach(id -> out.printf("%s  partial upload removed%n", id));
        out.printf("%d blocks deleted, %d partial uploads removed%n", r.deleted().size(),
            r.partialUploads().size());
      }
      out.flush();
      return 0;
    });
  }
}
