package dev.strata.examples.cli.tsdb;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;

/** The {@code <db path>} every reading {@code tsdb} subcommand takes first, as promtool's do. */
final class DataDirParameter {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "<db path>",
      defaultValue = TsdbCommand.DEFAULT_DB_PATH,
      description = "Database path (default is ${DEFAULT-VALUE}).")
  Path path;

  /** Opens the directory read-only; warnings go to the command's stderr, as promtool's do. */
  ReadOnlyDataDir open(CommandSpec spec) throws IOException {
    return ReadOnlyDataDir.open(path, spec.commandLine().getErr()::println);
  }
}
