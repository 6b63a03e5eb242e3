package dev.strata.examples.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/** Decides whether a {@link Browser} test runs, fails or is skipped; see there. */
public final class BrowserExtension implements BeforeAllCallback {
  static final String SKIP_ENV = "STRATA_BROWSER";
  static final String SKIP_PROPERTY = "strata.browser";

  @Override
  public void beforeAll(ExtensionContext context) {
    List<String> missing = new ArrayList<>();
    for (Path tool : List.of(HeadlessChromium.BINARY, HeadlessChromium.DRIVER)) {
      if (!Files.isExecutable(tool)) {
        missing.add(tool.toString());
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    String message = "the browser tests need Debian's chromium and chromedriver, missing: "
        + String.join(", ", missing) + "; install them with 'apt-get install -y chromium"
        + " chromium-driver' (.ci/run does), or set " + SKIP_ENV + "=skip (or -D"
        + SKIP_PROPERTY + "=skip) to skip these tests";
    if ("skip".equals(System.getenv(SKIP_ENV)) || "skip".equals(System.getProperty(SKIP_PROPERTY))) {
      throw new TestAbortedException("skipped: " + message);
    }
    throw new IllegalStateException(message);
  }
}
