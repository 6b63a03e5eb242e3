package dev.strata.examples.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the {@code strata} command line in this JVM and captures what it prints. */
public final class StrataCli {
  private StrataCli() {}

  public record Result(int exitCode, String stdout, String stderr) {
    public Result assertSuccess() {
      if (exitCode != 0) {
        throw new AssertionError(
            "strata exited with " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
      }
      return this;
    }
  }

  public static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = StrataCommand.commandLine()
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    cl.getOut().flush();
    cl.getErr().flush();
    return new Result(code, out.toString(), err.toString());
  }
}
