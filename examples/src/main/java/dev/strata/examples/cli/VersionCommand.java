package dev.strata.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code strata version}: prints the version in the style of the Prometheus tools. */
@Command(name = "version", description = "Print the version of Strata and its runtime.")
public final class VersionCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    for (String line : new Provider().getVersion()) {
      spec.commandLine().getOut().println(line);
    }
  }

  /** Strata's version, from the properties written at build time, or "unknown". */
  public static String strataVersion() {
    try (InputStream in = VersionCommand.class.getResourceAsStream("/strata-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Version lines for {@code strata version} and {@code strata --version}. */
  static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "strata, version " + strataVersion(),
        "  java version:     " + System.getProperty("java.version"),
        "  java vm:          " + System.getProperty("java.vm.name"),
        "  platform:         " + System.getProperty("os.name").toLowerCase() + "/"
            + System.getProperty("os.arch"),
      };
    }
  }
}
