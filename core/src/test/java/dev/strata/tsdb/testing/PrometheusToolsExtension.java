package dev.strata.tsdb.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/** Decides whether an {@link Interop} test runs, fails or is skipped; see there. */
public final class PrometheusToolsExtension implements BeforeEachCallback {

  static final String REQUIRED_ENV = "STRATA_INTEROP";

  @Override
  public void beforeEach(ExtensionContext context) {
    if (findOnPath("promtool").isPresent()) {
      return;
    }
    String message =
        "promtool (Prometheus 2.42) is not on the PATH; install it with"
            + " 'apt-get install -y prometheus' to run the interop tests";
    if ("required".equals(System.getenv(REQUIRED_ENV))) {
      throw new IllegalStateException(message + " (" + REQUIRED_ENV + "=required)");
    }
    throw new TestAbortedException("skipped: " + message);
  }

  /** The executable {@code name} found on the {@code PATH}, if any. */
  public static Optional<Path> findOnPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
