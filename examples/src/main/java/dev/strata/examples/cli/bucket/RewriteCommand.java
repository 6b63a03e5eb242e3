package dev.strata.examples.cli.bucket;

import dev.strata.tier.block.BucketBlocks;
import dev.strata.tier.compact.BlockRewriter;
import dev.strata.tier.compact.DeletionRequest;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.fileutil.FileTrees;
import java.io.IOException;
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

/**
 * {@code strata bucket rewrite}: deletes series from blocks by writing each block again without
 * them, as Thanos's {@code tools bucket rewrite} does. A dry run by default: it says what would
 * change and touches nothing; {@code --no-dry-run} uploads the new blocks, and {@code
 * --delete-blocks} then marks the old ones for deletion. Run it while no compactor works on the
 * bucket.
 */
@Command(name = "rewrite",
    description = "Delete series from blocks by rewriting them (a dry run unless --no-dry-run).")
final class RewriteCommand implements Callable<Integer> {
  @Mixin ObjstoreOption objstore;

  @Option(names = "--id", required = true, paramLabel = "ULID",
      description = "A block to rewrite (repeatable).")
  List<String> ids = new ArrayList<>();

  @Option(names = "--delete", paramLabel = "SELECTOR",
      description = "Delete the series this selector matches, such as '{__name__=\"up\"}', over"
          + " all time (repeatable).")
  List<String> selectors = new ArrayList<>();

  @Option(names = "--rewrite.to-delete-config", paramLabel = "YAML",
      description = "Deletion requests, as Thanos takes them: a YAML list of"
          + " '- matchers: \"{...}\"' with optional 'intervals: [{mint: MS, maxt: MS}]'.")
  String deleteConfig;

  @Option(names = "--rewrite.to-delete-config-file", paramLabel = "FILE",
      description = "The same, from a file.")
  Path deleteConfigFile;

  @Option(names = "--dry-run", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Say what would change and change nothing (default); --no-dry-run rewrites.")
  boolean dryRun;

  @Option(names = "--delete-blocks",
      description = "Mark each rewritten block for deletion once its new block is uploaded"
          + " (not in a dry run).")
  boolean deleteBlocks;

  @Option(names = "--tmp.dir", paramLabel = "DIR",
      description = "Where blocks are downloaded and rewritten; a temporary directory by default.")
  Path tmpDir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    List<Ulid> blocks = new ArrayList<>();
    for (String text : ids) {
      blocks.add(Ulid.tryParse(text).orElseThrow(() -> new CommandLine.ParameterException(
          spec.commandLine(), "'" + text + "' is not a ULID")));
    }
    List<DeletionRequest> deletions = deletions();
    return ObjstoreOption.guarded(spec, () -> run(blocks, deletions));
  }

  private List<DeletionRequest> deletions() {
    List<DeletionRequest> out = new ArrayList<>();
    try {
      for (String s : selectors) {
        out.add(DeletionRequest.allTime(s));
      }
      if (deleteConfig != null) {
        out.addAll(DeletionRequest.parseConfig(deleteConfig, "--rewrite.to-delete-config"));
      }
      if (deleteConfigFile != null) {
        out.addAll(DeletionRequest.parseConfig(Files.readString(deleteConfigFile),
            deleteConfigFile.toString()));
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    } catch (IOException e) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "cannot read " + deleteConfigFile + ": " + e);
    }
    if (out.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "nothing to delete: give"
          + " --delete, --rewrite.to-delete-config or --rewrite.to-delete-config-file");
    }
    return out;
  }

  private int run(List<Ulid> blocks, List<DeletionRequest> deletions) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Path scratch = tmpDir != null ? Files.createDirectories(tmpDir)
        : Files.createTempDirectory("strata-rewrite");
    if (dryRun && deleteBlocks) {
      out.println("dry run: --delete-blocks has no effect");
    }
    int rewritten = 0;
    try (Bucket bucket = objstore.open()) {
      BlockRewriter rewriter = new BlockRewriter(new BucketBlocks(bucket), scratch,
          UlidGenerator.system());
      for (Ulid id : blocks) {
        BlockRewriter.Result r = rewriter.rewrite(id, deletions, dryRun, deleteBlocks);
        print(out, r);
        rewritten += r.changed() ? 1 : 0;
        out.flush();
      }
    } finally {
      if (tmpDir == null) {
        FileTrees.deleteRecursively(scratch);
      }
    }
    out.printf(dryRun
        ? "dry run: %d of %d blocks would be rewritten; nothing changed (--no-dry-run to do it)%n"
        : "%d of %d blocks rewritten%n", rewritten, blocks.size());
    out.flush();
    return 0;
  }

  private void print(PrintWriter out, BlockRewriter.Result r) {
    if (!r.changed()) {
      out.printf("%s  nothing matches: left as it is%n", r.source());
      return;
    }
    String what = String.format("%d of %d series removed, %d trimmed (%d chunks re-encoded),"
            + " %d of %d samples removed, chunks %d -> %d",
        r.seriesRemoved(), r.before().numSeries(), r.seriesTrimmed(), r.chunksReencoded(),
        r.samplesRemoved(), r.before().numSamples(), r.before().numChunks(),
        r.after().numChunks());
    if (dryRun) {
      out.printf("%s  would be rewritten%s: %s%n", r.source(),
          r.emptied() ? " to nothing" : " into a new block", what);
      return;
    }
    if (r.emptied()) {
      out.printf("%s  every series deleted: no new block: %s%n", r.source(), what);
    } else {
      out.printf("%s  rewritten into %s: %s%n", r.source(), r.newUlid(), what);
    }
    if (r.sourceMarked()) {
      out.printf("%s  marked for deletion%n", r.source());
    }
  }
}
