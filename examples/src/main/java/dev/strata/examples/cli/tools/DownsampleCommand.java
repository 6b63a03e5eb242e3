package dev.strata.examples.cli.tools;

import dev.strata.downsample.Downsampler;
import dev.strata.downsample.Resolutions;
import dev.strata.examples.cli.tsdb.ErrorMessages;
import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.block.BlockDirectories;
import dev.strata.tsdb.block.BlockFiles;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.encoding.CorruptDataException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code strata tools downsample --resolution=5m|1h <block-dir> <out-dir>}: writes the 5-minute or
 * 1-hour aggregate of one block as a new block in {@code out-dir}, the block Thanos's compactor
 * would upload for it. The input is only read.
 */
@Command(
    name = "downsample",
    description = "Downsample a block to 5m or 1h aggregates (count, sum, min, max, counter) "
        + "as Thanos's compactor does, into a new block.")
final class DownsampleCommand implements Callable<Integer> {

  @Option(
      names = "--resolution",
      required = true,
      description = "Target resolution: 5m (from raw) or 1h (from raw or 5m).")
  String resolution;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
  boolean help;

  @Parameters(index = "0", paramLabel = "<block-dir>", description = "The block to downsample.")
  Path blockDir;

  @Parameters(index = "1", paramLabel = "<out-dir>", description = "Where the new block goes.")
  Path outDir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long target;
    try {
      target = Resolutions.parse(resolution);
    } catch (IllegalArgumentException e) {
      err.println("strata tools downsample: " + e.getMessage());
      return 2;
    }
    if (!Files.isRegularFile(blockDir.resolve(BlockFiles.META_JSON))) {
      err.println("strata tools downsample: " + blockDir + " is not a block directory (no "
          + BlockFiles.META_JSON + ")");
      return 1;
    }
    long start = System.nanoTime();
    try (Block block = Block.open(blockDir)) {
      BlockMeta in = block.meta();
      BlockMeta meta = Downsampler.downsample(block, target, outDir);
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf("%s: %s -> %s%n", BlockDirectories.path(outDir, meta.ulid()),
          Resolutions.format(Downsampler.resolutionOf(in)), Resolutions.format(target));
      out.printf("  %d series, %d chunks, %d aggregated samples from %d input samples in %.2f s%n",
          meta.stats().numSeries(), meta.stats().numChunks(), meta.stats().numSamples(),
          in.stats().numSamples(), seconds);
      return 0;
    } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException
        | CorruptDataException e) {
      err.println("strata tools downsample: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("strata tools downsample: " + ErrorMessages.of(e));
      return 1;
    }
  }
}
