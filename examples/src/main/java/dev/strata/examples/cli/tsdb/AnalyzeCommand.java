package dev.strata.examples.cli.tsdb;

import dev.strata.examples.cli.OptionTypes;
import dev.strata.tsdb.block.Block;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata tsdb analyze}: promtool's churn and cardinality report on one block. */
@Command(
    name = "analyze",
    description = "Analyze churn, label pair cardinality and compaction efficiency.")
final class AnalyzeCommand implements Callable<Integer> {

  @Option(names = "--limit", paramLabel = "<limit>", defaultValue = "20",
      converter = OptionTypes.NonNegative.class,
      description = "How many items to show in each list (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--extended", description = "Run extended analysis.")
  boolean extended;

  @Mixin DataDirParameter dataDir;

  @Parameters(index = "1", arity = "0..1", paramLabel = "<block id>",
      description = "Block to analyze (default is the last block).")
  String blockId;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (ReadOnlyDataDir db = dataDir.open(spec)) {
      Block block = find(db.blocks());
      ReadOnlyDataDir.verify(block);
      block.acquire();
      try {
        BlockAnalysis.print(block, spec.commandLine().getOut(), limit, extended);
      } finally {
        block.release();
      }
    }
    return 0;
  }

  // The block named, or without a name the last by start time, as promtool picks it.
  private Block find(List<Block> blocks) {
    if (blockId != null && !blockId.isEmpty()) {
      for (Block b : blocks) {
        if (b.ulid().toString().equals(blockId)) {
          return b;
        }
      }
    } else if (!blocks.isEmpty()) {
      return blocks.get(blocks.size() - 1);
    }
    throw new ToolFailure("block " + (blockId == null ? "" : blockId) + " not found");
  }
}
