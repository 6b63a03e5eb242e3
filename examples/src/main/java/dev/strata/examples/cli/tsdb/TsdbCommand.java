package dev.strata.examples.cli.tsdb;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code strata tsdb}: promtool 2.42's {@code tsdb} tools over Strata's reading and writing of the
 * same formats, with the same arguments, flags and output, so that scripts written for promtool
 * run unchanged.
 */
@Command(
    name = "tsdb",
    description = "Run tsdb commands (the tools of promtool 2.42's tsdb command).",
    subcommands = {
      CreateBlocksFromCommand.class,
      ListCommand.class,
      DumpCommand.class,
      AnalyzeCommand.class
    })
public final class TsdbCommand implements Callable<Integer> {

  /** promtool's default database path for every tool. */
  static final String DEFAULT_DB_PATH = "data/";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }
}
