package dev.strata.examples.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Runs the subcommand picocli parsed, as {@link CommandLine.RunLast} does, unless an argument was
 * left unmatched. picocli does not complain of unmatched arguments when {@code --help} is among
 * the arguments, so {@code strata store --help}, with no {@code store} command, printed the
 * top-level help and exited 0, as if {@code store} were fine. Here an unmatched argument is a
 * usage error (exit code 2) whatever else the command line holds, said as picocli says it without
 * {@code --help} ({@code Unmatched argument at index 0: 'store'}), suggestions included.
 */
final class UnmatchedArguments implements IExecutionStrategy {
  @Override
  public int execute(ParseResult parseResult) {
    for (ParseResult r = parseResult; r != null; r = r.hasSubcommand() ? r.subcommand() : null) {
      List<String> unmatched = r.unmatched();
      if (!unmatched.isEmpty()) {
        throw new UnmatchedArgumentException(r.commandSpec().commandLine(), unmatched);
      }
    }
    return new CommandLine.RunLast().execute(parseResult);
  }
}
