package dev.strata.examples.cli.tsdb;

import dev.strata.tsdb.block.Block;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata tsdb list}: promtool's table of the blocks of a data directory. */
@Command(name = "list", description = "List tsdb blocks.")
final class ListCommand implements Callable<Integer> {

  @Option(names = {"-r", "--human-readable"}, description = "Print human readable values.")
  boolean humanReadable;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "<db path>",
      defaultValue = TsdbCommand.DEFAULT_DB_PATH,
      description = "Database path (default is ${DEFAULT-VALUE}).")
  Path dbPath;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (ReadOnlyDataDir db = ReadOnlyDataDir.open(dbPath, spec.commandLine().getErr()::println)) {
      List<BlockTable.Row> rows = new ArrayList<>();
      for (Block b : db.blocks()) {
        rows.add(new BlockTable.Row(b.meta(), ReadOnlyDataDir.sizeOf(b.dir())));
      }
      BlockTable.print(spec.commandLine().getOut(), rows, true, humanReadable);
    }
    return 0;
  }
}
