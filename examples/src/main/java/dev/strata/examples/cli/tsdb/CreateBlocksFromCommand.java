package dev.strata.examples.cli.tsdb;

import dev.strata.examples.cli.OptionTypes;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code strata tsdb create-blocks-from}: the group of backfill tools. Its flags belong to the
 * group, as in promtool, where they may come before or after the input kind; each tool also accepts
 * them after its own name, and reads them from both places.
 */
@Command(
    name = "create-blocks-from",
    description = "Import samples from input and produce TSDB blocks.",
    subcommands = {OpenMetricsCommand.class})
final class CreateBlocksFromCommand implements Callable<Integer> {

  @CommandLine.Mixin BackfillFlags flags = new BackfillFlags();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing required subcommand: openmetrics");
  }

  /** promtool's flags of {@code create-blocks-from}. */
  static final class BackfillFlags {
    @Option(names = {"-r", "--human-readable"}, description = "Print human readable values.")
    boolean humanReadable;

    @Option(names = {"-q", "--quiet"}, description = "Do not print created blocks.")
    boolean quiet;

    /** Milliseconds, or null when not given. */
    @Option(
        names = "--max-block-duration",
        paramLabel = "<duration>",
        converter = OptionTypes.PositiveGoDuration.class,
        description = "Maximum duration created blocks may span. Anything less than 2h is ignored.")
    Long maxBlockDuration;
  }
}
