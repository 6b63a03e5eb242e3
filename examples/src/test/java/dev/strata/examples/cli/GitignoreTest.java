package dev.strata.examples.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/** Every directory a command creates by default in the working directory is ignored by git. */
class GitignoreTest {
  @Test
  void everyDefaultOutputDirectoryIsIgnored() throws Exception {
    List<String> ignored = Files.readAllLines(Path.of("..", ".gitignore"));
    List<String> defaults = new ArrayList<>();
    collect(StrataCommand.commandLine().getCommandSpec(), defaults);
    assertTrue(defaults.contains("strata-demo-data"), "found the options: " + defaults);
    for (String dir : defaults) {
      String entry = "/" + dir.replaceAll("^\\./", "").replaceAll("/+$", "") + "/";
      assertTrue(ignored.contains(entry), ".gitignore lacks " + entry + " (a default of a command)");
    }
  }

  private static void collect(CommandSpec spec, List<String> out) {
    for (ArgSpec arg : spec.args()) {
      String value = arg.defaultValue();
      if (arg.type() == Path.class && value != null && !Path.of(value).isAbsolute()) {
        out.add(value);
      }
    }
    for (CommandLine sub : spec.subcommands().values()) {
      collect(sub.getCommandSpec(), out);
    }
  }
}
