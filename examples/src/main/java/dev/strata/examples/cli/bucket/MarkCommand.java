package dev.strata.examples.cli.bucket;

import dev.strata.tier.block.BucketBlocks;
import dev.strata.tier.block.DeletionMark;
import dev.strata.tier.block.NoCompactMark;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tsdb.block.Ulid;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code strata bucket mark}: puts a marker next to blocks, as Thanos's {@code tools bucket mark}
 * does: {@code deletion-mark.json} (readers drop the block, the compactor deletes it after its
 * delete delay) or {@code no-compact-mark.json} (the compactor leaves it alone); {@code --remove}
 * takes a marker away.
 */
@Command(name = "mark", description = "Mark blocks for deletion or to be left alone by the compactor.")
final class MarkCommand implements Callable<Integer> {
  @Mixin ObjstoreOption objstore;

  @Option(names = "--id", required = true, paramLabel = "ULID",
      description = "A block to mark (repeatable).")
  List<String> ids = new ArrayList<>();

  @Option(names = "--marker", required = true, paramLabel = "FILE",
      description = "deletion-mark.json or no-compact-mark.json.")
  String marker;

  @Option(names = "--details", paramLabel = "TEXT", defaultValue = "",
      description = "Why, kept in the marker (required unless --remove).")
  String details;

  @Option(names = "--remove", description = "Remove the marker instead.")
  boolean remove;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (!marker.equals(DeletionMark.FILE_NAME) && !marker.equals(NoCompactMark.FILE_NAME)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--marker must be "
          + DeletionMark.FILE_NAME + " or " + NoCompactMark.FILE_NAME + ", not '" + marker + "'");
    }
    if (!remove && details.isBlank()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--details is required: say why the block is marked");
    }
    List<Ulid> blocks = new ArrayList<>();
    for (String text : ids) {
      blocks.add(Ulid.tryParse(text).orElseThrow(() -> new CommandLine.ParameterException(
          spec.commandLine(), "'" + text + "' is not a ULID")));
    }
    return ObjstoreOption.guarded(spec, () -> {
      PrintWriter out = spec.commandLine().getOut();
      try (Bucket bucket = objstore.open()) {
        BucketBlocks store = new BucketBlocks(bucket);
        for (Ulid id : blocks) {
          if (store.meta(id).isEmpty()) {
            throw new java.io.IOException("block " + id + " is not in " + bucket.name()
                + " (no meta.json)");
          }
          String key = id + "/" + marker;
          if (remove) {
            bucket.delete(key);
            out.printf("%s  %s removed%n", id, marker);
          } else if (marker.equals(DeletionMark.FILE_NAME)) {
            store.markForDeletion(id, details);
            out.printf("%s  marked for deletion: %s%n", id, details);
          } else {
            store.markNoCompact(id, "manual", details);
            out.printf("%s  marked no-compact: %s%n", id, details);
          }
        }
      }
      out.flush();
      return 0;
    });
  }
}
