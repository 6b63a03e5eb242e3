package dev.strata.examples.cli.bucket;

import dev.strata.tier.block.BlockVerifier;
import dev.strata.tier.block.BucketListing;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.fileutil.FileTrees;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata bucket verify}: every file's presence and size, every CRC. Exit 1 on a problem. */
@Command(name = "verify", description = "Check every block (or the ones named): files against meta.json, index and chunk CRCs.")
final class VerifyCommand implements Callable<Integer> {
  @Mixin ObjstoreOption objstore;

  @Parameters(arity = "0..*", paramLabel = "ULID", description = "Blocks to check; all by default.")
  List<String> ids = List.of();

  @Option(names = "--scratch-dir", paramLabel = "DIR",
      description = "Where blocks are downloaded while checked; a temporary directory by default.")
  Path scratch;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    return ObjstoreOption.guarded(spec, this::run);
  }

  private int run() throws java.io.IOException {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = scratch != null ? scratch : Files.createTempDirectory("strata-verify");
    int bad = 0;
    try (Bucket bucket = objstore.open()) {
      List<Ulid> targets = new ArrayList<>();
      if (ids.isEmpty()) {
        targets.addAll(BucketListing.scan(bucket).blocks().keySet());
      } else {
        for (String text : ids) {
          targets.add(Ulid.tryParse(text).orElseThrow(() ->
              new CommandLine.ParameterException(spec.commandLine(), "'" + text + "' is not a ULID")));
        }
      }
      for (Ulid id : targets) {
        BlockVerifier.Report r = BlockVerifier.verify(bucket, id, dir);
        if (r.ok()) {
          out.printf("%s  ok  %d series, %d chunks, %s checked%n", id, r.series(), r.chunks(),
              Formats.bytes(r.bytes()));
        } else {
          bad++;
          out.printf("%s  FAILED%n", id);
          r.problems().forEach(p -> out.printf("    %s%n", p));
        }
        out.flush();
      }
      out.printf("%d blocks checked, %d with problems%n", targets.size(), bad);
    } finally {
      if (scratch == null) {
        FileTrees.deleteRecursively(dir);
      }
    }
    out.flush();
    return bad == 0 ? 0 : 1;
  }
}
