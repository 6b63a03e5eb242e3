package dev.strata.examples.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven by Debian's chromedriver through Selenium: the driver is
 * given by path, so nothing is looked up or downloaded, and the browser is kept off the network
 * but for the pages a test opens.
 */
public final class HeadlessChromium {
  public static final Path BINARY = Path.of("/usr/bin/chromium");
  public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  // Selenium warns at each start that it has no DevTools classes for this Chromium's version;
  // the tests do not use DevTools. Held here: java.util.logging keeps loggers weakly.
  private static final Logger CDP_LOG = Logger.getLogger("org.openqa.selenium.devtools");

  static {
    CDP_LOG.setLevel(Level.SEVERE);
  }

  private HeadlessChromium() {}

  /** A new browser with a window of {@code width} x {@code height}, its profile in {@code profile}. */
  public static ChromeDriver start(Path profile, int width, int height) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--user-data-dir=" + profile.toAbsolutePath(),
        "--window-size=" + width + "," + height);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort()
        .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    fitViewport(driver, width, height);
    return driver;
  }

  // The window's size includes what headless Chromium counts as its frame: grow the window by
  // that much, so that pages and screenshots get the size asked for.
  private static void fitViewport(ChromeDriver driver, int width, int height) {
    @SuppressWarnings("unchecked")
    List<Number> inner = (List<Number>) driver.executeScript(
        "return [window.innerWidth, window.innerHeight];");
    Dimension outer = driver.manage().window().getSize();
    driver.manage().window().setSize(new Dimension(
        outer.getWidth() + width - inner.get(0).intValue(),
        outer.getHeight() + height - inner.get(1).intValue()));
  }
}
