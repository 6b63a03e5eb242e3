package dev.strata.examples.cli;

import dev.strata.examples.cli.bucket.BucketCommand;
import dev.strata.examples.cli.sidecar.SidecarCommand;
import dev.strata.examples.cli.compact.CompactCommand;
import dev.strata.examples.cli.query.QueryCommand;
import dev.strata.examples.cli.store.StoreCommand;
import dev.strata.examples.cli.tools.ToolsCommand;
import dev.strata.examples.cli.tsdb.ErrorMessages;
import dev.strata.examples.cli.tsdb.TsdbCommand;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code strata} binary: one jar, one subcommand per job. */
@Command(
    name = "strata",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = VersionCommand.Provider.class,
    description = "Strata: an embeddable time-series database with Prometheus-compatible blocks.",
    subcommands = {
      VersionCommand.class,
      DemoCommand.class,
      JvmMetricsCommand.class,
      ServeCommand.class,
      SidecarCommand.class,
      StoreCommand.class,
      QueryCommand.class,
      CompactCommand.class,
      TsdbCommand.class,
      ToolsCommand.class,
      BucketCommand.class,
      CommandLine.HelpCommand.class
    })
public final class StrataCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    CommandLine cl = commandLine();
    int exitCode = cl.execute(args);
    cl.getOut().flush();
    cl.getErr().flush();
    System.exit(exitCode);
  }

  /**
   * The configured command line, shared by {@link #main} and tests. Output is UTF-8 whatever the
   * platform's default, as label values must come out as the bytes Prometheus's tools print; a
   * command that fails prints one line, its message, and exits with 1; a usage error (an unknown
   * subcommand or option, a value out of range) prints the message and the usage, and exits with
   * 2, even with {@code --help} among the arguments.
   */
  public static CommandLine commandLine() {
    return new CommandLine(new StrataCommand())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionStrategy(new UnmatchedArguments())
        .setOut(utf8(new FileOutputStream(FileDescriptor.out)))
        .setErr(utf8(new FileOutputStream(FileDescriptor.err)))
        .setExecutionExceptionHandler((e, cmd, parseResult) -> {
          cmd.getOut().flush();
          cmd.getErr().println(ErrorMessages.of(e));
          cmd.getErr().flush();
          return 1;
        });
  }

  private static PrintWriter utf8(FileOutputStream stream) {
    return new PrintWriter(
        new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16),
        true);
  }
}
