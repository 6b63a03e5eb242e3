package dev.strata.examples.cli.bucket;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code strata bucket}: look at, check, mark and clean up the blocks of a bucket in the Thanos layout. */
@Command(
    name = "bucket",
    description = "Inspect, verify, mark, clean up, apply retention to, rewrite and show (web) blocks in object storage (Thanos bucket layout).",
    subcommands = {LsCommand.class, InspectCommand.class, VerifyCommand.class, MarkCommand.class,
        CleanupCommand.class, RetentionCommand.class, RewriteCommand.class, WebCommand.class})
public final class BucketCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
