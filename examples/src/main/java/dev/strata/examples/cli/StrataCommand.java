package dev.strata.examples.cli;

import dev.strata.examples.cli.bucket.BucketCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code strata} binary: one jar, one subcommand per job. */
@Command(
    name = "strata",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Strata: an embeddable time-series database with Prometheus-compatible blocks.",
    subcommands = {VersionCommand.class, DemoCommand.class, BucketCommand.class, CommandLine.HelpCommand.class})
public final class StrataCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new StrataCommand()).setCaseInsensitiveEnumValuesAllowed(true);
  }
}
