package dev.strata.examples.cli.tsdb;

import dev.strata.tsdb.block.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code strata tsdb list}: promtool's table of the blocks of a data directory. */
@Command(name = "list", description = "List tsdb blocks.")
final class ListCommand implements Callable<Integer> {

  @Option(names = {"-r", "--human-readable"}, description = "Print human readable values.")
  boolean humanReadable;

  @Mixin DataDirParameter dataDir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (ReadOnlyDataDir db = dataDir.open(spec)) {
      List<BlockTable.Row> rows = new ArrayList<>();
      for (Block b : db.blocks()) {
        rows.add(new BlockTable.Row(b.meta(), ReadOnlyDataDir.sizeOf(b.dir())));
      }
      BlockTable.print(spec.commandLine().getOut(), rows, true, humanReadable);
    }
    return 0;
  }
}
