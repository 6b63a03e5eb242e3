package dev.strata.tsdb.testing;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines for a second JVM running a test's main class, for tests that kill it mid-work:
 * the same class path, and the JVM flags Strata needs ({@code --add-...}) and the heap limit of
 * this test JVM.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** {@code java <flags> -cp <class path> <main> <args...>}. */
  public static List<String> command(Class<?> main, String... args) {
    return command(main.getName(), List.of(), args);
  }

  /** {@code java <flags> -cp <extra>:<class path> <main> <args...>}, for classes compiled by a test. */
  public static List<String> command(String main, List<Path> extraClassPath, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-") || arg.startsWith("-Xmx")) {
        cmd.add(arg);
      }
    }
    cmd.add("-cp");
    StringBuilder classPath = new StringBuilder();
    for (Path p : extraClassPath) {
      classPath.append(p).append(java.io.File.pathSeparatorChar);
    }
    cmd.add(classPath.append(System.getProperty("java.class.path")).toString());
    cmd.add(main);
    cmd.addAll(List.of(args));
    return cmd;
  }
}
