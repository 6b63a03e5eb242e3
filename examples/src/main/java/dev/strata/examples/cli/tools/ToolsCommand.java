package dev.strata.examples.cli.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code strata tools}: one-off operations on blocks, as Thanos's {@code tools} command has. */
@Command(
    name = "tools",
    description = "Operations on blocks.",
    subcommands = {DownsampleCommand.class})
public final class ToolsCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
