package dev.strata.examples.cli.tsdb;

import dev.strata.tsdb.backfill.DroppedSamples;
import dev.strata.tsdb.backfill.OpenMetricsBackfill;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.textparse.OpenMetricsInput;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code strata tsdb create-blocks-from openmetrics}: writes the blocks promtool writes for an
 * OpenMetrics file, byte for byte, and prints promtool's table row for each block as it is written.
 *
 * <p>The whole input is checked before anything is written: a bad line fails the run with its file,
 * line and column and leaves no block, and, unlike promtool, no output directory either. Samples
 * out of order or at a timestamp already taken are dropped as promtool drops them, and counted
 * in one line on stderr.
 */
@Command(
    name = "openmetrics",
    description = "Import samples from OpenMetrics input and produce TSDB blocks.")
final class OpenMetricsCommand implements Callable<Integer> {

  @CommandLine.Mixin CreateBlocksFromCommand.BackfillFlags flags =
      new CreateBlocksFromCommand.BackfillFlags();

  @CommandLine.ParentCommand CreateBlocksFromCommand parent;

  @Parameters(index = "0", paramLabel = "<input file>",
      description = "OpenMetrics file to read samples from.")
  Path input;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "<output directory>",
      defaultValue = TsdbCommand.DEFAULT_DB_PATH,
      description = "Output directory for generated blocks (default is ${DEFAULT-VALUE}).")
  Path outputDir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    CreateBlocksFromCommand.BackfillFlags group = parent.flags;
    boolean humanReadable = flags.humanReadable || group.humanReadable;
    boolean quiet = flags.quiet || group.quiet;
    Long duration = flags.maxBlockDuration != null ? flags.maxBlockDuration
        : group.maxBlockDuration;
    long maxBlockMillis = duration == null ? 0 : duration;
    PrintWriter out = spec.commandLine().getOut();
    boolean[] headerDue = {true};
    DroppedSamples dropped;
    try (OpenMetricsInput in = OpenMetricsInput.open(input)) {
      dropped = OpenMetricsBackfill.createBlocks(in, outputDir, maxBlockMillis, meta -> {
        if (!quiet) {
          BlockTable.print(out, List.of(row(meta)), headerDue[0], humanReadable);
          headerDue[0] = false;
        }
      }).dropped();
    }
    // stdout stays promtool's table; promtool drops the same samples without a word.
    if (dropped.total() > 0) {
      out.flush();
      spec.commandLine().getErr().println(input + ": " + dropped.summary());
    }
    return 0;
  }

  private BlockTable.Row row(BlockMeta meta) {
    try {
      return new BlockTable.Row(
          meta, ReadOnlyDataDir.sizeOf(outputDir.resolve(meta.ulid().toString())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
