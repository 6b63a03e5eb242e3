package dev.strata.tsdb.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
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

  /**
   * {@code java <flags> -Djava.io.tmpdir=<tmpDir> -cp <class path> <main> <args...>}. The child's
   * temporary files go to {@code tmpDir} (created here), which should be under the test's own
   * temporary directory: a killed JVM cannot delete them, and lz4-java unpacks its native library
   * into a new temporary file in every JVM that compresses.
   */
  public static List<String> command(Path tmpDir, Class<?> main, String... args)
      throws IOException {
    return command(tmpDir, main.getName(), List.of(), args);
  }

  /** As {@link #command(Path, Class, String...)}, for a class a test compiled into {@code extraClassPath}. */
  public static List<String> command(Path tmpDir, String main, List<Path> extraClassPath,
      String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-") || arg.startsWith("-Xmx")) {
        cmd.add(arg);
      }
    }
    cmd.add("-Djava.io.tmpdir=" + Files.createDirectories(tmpDir).toAbsolutePath());
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
