package dev.strata.examples.cli.query;

import static dev.strata.examples.cli.query.ApiAnswers.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.examples.testing.Browser;
import dev.strata.examples.testing.HeadlessChromium;
import dev.strata.tier.storeapi.StoreApiServer;
import dev.strata.tier.testing.TestTsdb;
import dev.strata.tsdb.Tsdb;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Appender;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI of {@code strata query} in a real headless Chromium: two queriers as child
 * processes, one at the root and one under {@code --web.route-prefix=/strata}, over three
 * StoreAPI servers in this JVM (HA replicas {@code a} and {@code b} of cluster {@code c1}, and
 * cluster {@code c2}). What the pages show is compared with what the HTTP API answers.
 *
 * <p>With the system property {@code strata.screenshots} set to a directory, {@link
 * #screenshots()} writes the README's pictures of both pages there.
 */
@Browser
class QueryWebUiTest {
  private static final long STEP = 15_000; // ms
  private static final int SAMPLES = 80; // 20 minutes
  private static final String PREFIX = "/strata";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter UI_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  @TempDir static Path tmp;
  private static QueryFixture fixture;
  /** The stores' databases, closed after the fixture has stopped serving them. */
  private static final List<AutoCloseable> opened = new ArrayList<>();
  private static final List<StoreApiServer> stores = new ArrayList<>();
  /** The UI's base URL (route prefix included) by route prefix. */
  private static final Map<String, String> bases = new LinkedHashMap<>();
  /** When set, cluster c2's store fails every StoreAPI call but Info. */
  private static final AtomicBoolean c2Failing = new AtomicBoolean();
  /** The time of the last sample, a whole minute, shortly before the tests. */
  private static long lastSample;
  private static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    fixture = new QueryFixture(tmp);
    lastSample = System.currentTimeMillis() / 60_000 * 60_000;
    stores.add(store("a", "c1", "a", 0, null));
    stores.add(store("b", "c1", "b", 0, null));
    stores.add(store("c", "c2", "a", 2, c2Failing));
    fixture.writeTargets(stores.toArray(StoreApiServer[]::new));
    String[] addresses = stores.stream().map(QueryFixture::address).toArray(String[]::new);
    for (String prefix : List.of("", PREFIX)) {
      QuerierProcess querier = prefix.isEmpty()
          ? fixture.startQuerier("", "--query.replica-label=replica")
          : fixture.startQuerier(prefix, "--query.replica-label=replica",
              "--web.route-prefix=" + prefix);
      querier.awaitStores(addresses);
      bases.put(prefix, querier.url());
    }
    browser = HeadlessChromium.start(tmp.resolve("chromium-profile"), 1280, 800);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (fixture != null) {
      fixture.close();
    }
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  /**
   * One producer's data as served with {@code {cluster, replica}}: a counter {@code
   * requests_total} growing by 1 + {@code phase} each 15 s, and a gauge {@code queue_depth} that
   * waves, {@code phase} shifting it; HA replicas get the same. With {@code failing}, the store
   * fails while it is set.
   */
  private static StoreApiServer store(String dir, String cluster, String replica, int phase,
      AtomicBoolean failing) throws Exception {
    Tsdb db = TestTsdb.open(tmp.resolve(dir));
    opened.add(db);
    Appender app = db.appender();
    for (int i = 0; i < SAMPLES; i++) {
      long t = lastSample - (SAMPLES - 1 - i) * STEP;
      app.append(Labels.of("__name__", "requests_total", "job", "api"), t, i * (1 + phase));
      double depth = 20 + 10 * Math.sin(i / 8.0 + phase) + 3 * Math.sin(i / 2.5);
      app.append(Labels.of("__name__", "queue_depth", "job", "api"), t,
          Math.round(depth * 100) / 100.0);
    }
    app.commit();
    return fixture.serve(db, 0, Labels.of("cluster", cluster, "replica", replica), failing);
  }

  private static String address(StoreApiServer s) {
    return QueryFixture.address(s);
  }

  private static String uiTime(long ms) {
    return UI_TIME.format(Instant.ofEpochMilli(ms));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  // --- the browser

  /** Opens {@code path} below the UI's base and waits until its script has set the page up. */
  private static void open(String prefix, String path) {
    browser.get(bases.get(prefix) + path);
    if (path.startsWith("/graph")) {
      await("the graph page to start", d -> "1".equals(
          d.findElement(By.tagName("html")).getAttribute("data-ready")));
    }
  }

  private static <T> T await(String what, Function<WebDriver, T> condition) {
    return new WebDriverWait(browser, WAIT)
        .withMessage(() -> what + "; page at " + browser.getCurrentUrl() + " shows:\n"
            + browser.findElement(By.tagName("body")).getText())
        .until(condition);
  }

  private static WebElement byId(String id) {
    return browser.findElement(By.id(id));
  }

  /** The chart's series (uPlot's legend has a row for the time axis besides). */
  private static int chartSeries() {
    return browser.findElements(By.cssSelector("#chart .u-legend .u-series")).size() - 1;
  }

  /** Pixels of the chart's canvas that something was drawn on. */
  private static long paintedPixels() {
    Object n = ((JavascriptExecutor) browser).executeScript(
        "const c = document.querySelector('#chart canvas');"
            + "if (!c) return 0;"
            + "const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            + "let n = 0; for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) n++;"
            + "return n;");
    return ((Number) n).longValue();
  }

  /** The rows of the Table tab, series as written there to value. */
  private static Map<String, String> tableRows() {
    Map<String, String> rows = new TreeMap<>();
    for (WebElement row : browser.findElements(By.cssSelector("#result-table tbody tr"))) {
      rows.put(row.findElement(By.className("series")).getText(),
          row.findElement(By.className("value")).getText());
    }
    return rows;
  }

  private static void awaitTableOf(int rows) {
    await("a table of " + rows + " rows", d -> !byId("stats").getText().startsWith("Loading")
        && d.findElements(By.cssSelector("#result-table tbody tr td.value")).size() == rows);
  }

  // --- the API, as a client sees it

  private static HttpResponse<String> get(String prefix, String pathAndQuery) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(bases.get(prefix) + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** An instant query's result as the Table tab should list it. */
  private static Map<String, String> apiTable(String prefix, String expr, long timeMs,
      boolean dedup) throws Exception {
    HttpResponse<String> r = get(prefix, "/api/v1/query" + query("query", expr,
        "time", Double.toString(timeMs / 1000.0), "dedup", Boolean.toString(dedup)));
    assertEquals(200, r.statusCode(), r.body());
    Map<String, String> rows = new TreeMap<>();
    for (JsonNode result : JSON.readTree(r.body()).path("data").path("result")) {
      rows.put(seriesText(result.path("metric")), result.path("value").get(1).asText());
    }
    return rows;
  }

  /** A series as PromQL writes it, labels in the answer's order. */
  private static String seriesText(JsonNode metric) {
    String name = metric.path("__name__").asText("");
    List<String> pairs = new ArrayList<>();
    metric.fields().forEachRemaining(e -> {
      if (!e.getKey().equals("__name__")) {
        pairs.add(e.getKey() + "=\"" + e.getValue().asText() + "\"");
      }
    });
    return pairs.isEmpty() && !name.isEmpty() ? name : name + "{" + String.join(", ", pairs) + "}";
  }

  // --- the tests

  @ParameterizedTest(name = "route prefix \"{0}\"")
  @ValueSource(strings = {"", PREFIX})
  void aTypedQueryIsDrawnThenListedAsTheApiAnswersIt(String prefix) throws Exception {
    open(prefix, "/graph");
    byId("expr").sendKeys("queue_depth", Keys.ENTER);
    // Deduplicated: one series per cluster.
    await("a chart of 2 series", d -> chartSeries() == 2 && paintedPixels() > 500);
    String url = browser.getCurrentUrl();
    assertTrue(url.startsWith(bases.get(prefix) + "/graph?"), url);
    assertTrue(url.contains("g0.expr=queue_depth") && url.contains("g0.tab=0")
        && url.contains("g0.range_input=1h") && url.contains("g0.deduplicate=1"), url);

    byId("dedup").click();
    await("a chart of both replicas apart", d -> chartSeries() == 3);
    assertTrue(browser.getCurrentUrl().contains("g0.deduplicate=0"), browser.getCurrentUrl());
    byId("dedup").click();
    await("a deduplicated chart again", d -> chartSeries() == 2);

    long at = lastSample - 2 * 60_000;
    byId("end").sendKeys(uiTime(at));
    byId("tab-table").click();
    awaitTableOf(2);
    assertEquals(apiTable(prefix, "queue_depth", at, true), tableRows());
    url = browser.getCurrentUrl();
    assertTrue(url.contains("g0.tab=1") && url.contains("g0.end_input="), url);
  }

  @ParameterizedTest(name = "route prefix \"{0}\"")
  @ValueSource(strings = {"", PREFIX})
  void aPrometheusLinkOpensTheSameQuery(String prefix) throws Exception {
    String expr = "rate(requests_total[1m])";
    long at = lastSample - 5 * 60_000;
    open(prefix, "/graph?g0.expr=" + encode(expr) + "&g0.tab=1&g0.stacked=0&g0.range_input=30m"
        + "&g0.end_input=" + encode(uiTime(at)) + "&g0.moment_input=" + encode(uiTime(at))
        + "&g0.max_source_resolution=0s&g0.deduplicate=0&g0.partial_response=1");
    awaitTableOf(3);
    assertEquals(expr, byId("expr").getAttribute("value"));
    assertEquals("true", byId("tab-table").getAttribute("aria-selected"));
    assertEquals("0s", byId("resolution").getAttribute("value"));
    assertEquals(apiTable(prefix, expr, at, false), tableRows());
  }

  @ParameterizedTest(name = "route prefix \"{0}\"")
  @ValueSource(strings = {"", PREFIX})
  void aBadExpressionIsShownUnderItsBox(String prefix) throws Exception {
    open(prefix, "/graph");
    byId("expr").sendKeys("sum(requests_total", Keys.ENTER);
    WebElement error = await("an error", d -> byId("error").isDisplayed() ? byId("error") : null);
    assertTrue(error.getText().contains("bad_data") && error.getText().contains("parse error"),
        error.getText());
    WebElement box = byId("expr");
    int gap = error.getRect().getY() - (box.getRect().getY() + box.getRect().getHeight());
    assertTrue(gap >= 0 && gap < 40, "error " + gap + " px below the expression box");

    byId("expr").sendKeys(")");
    byId("execute").click();
    await("the error gone", d -> !byId("error").isDisplayed() && chartSeries() == 1);
  }

  @ParameterizedTest(name = "route prefix \"{0}\"")
  @ValueSource(strings = {"", PREFIX})
  void aFailingStoreIsAWarningWithPartialResponseAndAnErrorWithout(String prefix)
      throws Exception {
    c2Failing.set(true);
    try {
      open(prefix, "/graph?g0.expr=requests_total&g0.tab=1&g0.partial_response=1");
      awaitTableOf(1);
      WebElement warning = await("a warning", d -> d.findElements(By.className("warning"))
          .stream().findFirst().orElse(null));
      assertTrue(warning.getText().contains(address(stores.get(2))), warning.getText());
      assertTrue(tableRows().keySet().iterator().next().contains("cluster=\"c1\""),
          tableRows().toString());

      byId("partial").click();
      WebElement error = await("an error", d -> byId("error").isDisplayed() ? byId("error") : null);
      assertTrue(error.getText().contains(address(stores.get(2))), error.getText());
      assertTrue(browser.findElements(By.className("warning")).isEmpty());
      assertTrue(tableRows().isEmpty(), "the earlier answer's rows are gone");
      assertTrue(browser.getCurrentUrl().contains("g0.partial_response=0"));
    } finally {
      c2Failing.set(false);
    }
  }

  @ParameterizedTest(name = "route prefix \"{0}\"")
  @ValueSource(strings = {"", PREFIX})
  void theStoresPageListsEveryEndpointUp(String prefix) throws Exception {
    open(prefix, "/stores");
    await("3 endpoints", d -> d.findElements(By.cssSelector("tr[data-endpoint]")).size() == 3);
    JsonNode sidecars = JSON.readTree(get(prefix, "/api/v1/stores").body()).path("data")
        .path("sidecar");
    assertEquals(3, sidecars.size(), sidecars.toString());
    for (JsonNode store : sidecars) {
      WebElement row = browser.findElement(
          By.cssSelector("section[data-type='sidecar'] tr[data-endpoint='" + store.path("name").asText() + "']"));
      assertEquals("UP", row.findElement(By.className("badge")).getText());
      List<String> labels = new ArrayList<>();
      row.findElements(By.className("label")).forEach(l -> labels.add(l.getText()));
      List<String> announced = new ArrayList<>();
      store.path("labelSets").get(0).fields().forEachRemaining(
          e -> announced.add(e.getKey() + "=\"" + e.getValue().asText() + "\""));
      assertEquals(announced, labels);
      assertEquals(uiTime(store.path("minTime").asLong()),
          row.findElement(By.className("min-time")).getText());
      assertEquals(Long.MAX_VALUE, store.path("maxTime").asLong());
      assertEquals("+∞", row.findElement(By.className("max-time")).getText());
      assertTrue(row.findElement(By.className("last-check")).getText().endsWith("s ago)"),
          row.getText());
    }
    assertTrue(browser.findElement(By.cssSelector("tr[data-endpoint='" + address(stores.get(0))
        + "'] .labels")).getText().contains("replica=\"a\""));

    browser.findElement(By.cssSelector("nav a[href='graph']:not(.brand)")).click();
    await("the graph page", d -> d.getCurrentUrl().equals(bases.get(prefix) + "/graph"));
  }

  @ParameterizedTest(name = "route prefix \"{0}\"")
  @ValueSource(strings = {"", PREFIX})
  void theRootRedirectsAndOnlyTheUisFilesAreServed(String prefix) throws Exception {
    HttpResponse<String> root = get(prefix, prefix.isEmpty() ? "/" : "");
    assertEquals(302, root.statusCode());
    assertEquals(prefix + "/graph", root.headers().firstValue("Location").orElse(""));
    open(prefix, "/");
    assertEquals(bases.get(prefix) + "/graph", browser.getCurrentUrl());

    HttpResponse<String> script = get(prefix, "/static/graph.js");
    assertEquals(200, script.statusCode());
    assertEquals("text/javascript; charset=utf-8",
        script.headers().firstValue("Content-Type").orElse(""));
    assertEquals("no-cache", script.headers().firstValue("Cache-Control").orElse(""));
    HttpResponse<String> uplot = get(prefix, "/static/uplot/uPlot.iife.min.js");
    assertEquals(200, uplot.statusCode());
    assertTrue(uplot.body().contains("uPlot"));
    assertEquals("text/html; charset=utf-8",
        get(prefix, "/stores").headers().firstValue("Content-Type").orElse(""));
    for (String path : List.of("/static/", "/static/nothing.js", "/static/graph.html",
        "/static/%2e%2e/graph.html", "/static/..%2fQueryCommand.class",
        "/static/uplot/../../../META-INF/MANIFEST.MF", "/graph/")) {
      assertNotEquals(200, get(prefix, path).statusCode(), path);
    }
  }

  /** The README's pictures: into {@code -Dstrata.screenshots=DIR}, else a temporary directory. */
  @Test
  void screenshots() throws Exception {
    String dir = System.getProperty("strata.screenshots");
    Path out = Files.createDirectories(dir == null || dir.isBlank()
        ? tmp.resolve("screenshots") : Path.of(dir));
    open("", "/graph?g0.expr=" + encode("queue_depth") + "&g0.tab=0&g0.range_input=30m"
        + "&g0.step_input=15&g0.deduplicate=1");
    await("a chart of 2 series", d -> chartSeries() == 2 && paintedPixels() > 500);
    Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), out.resolve("query-graph.png"),
        StandardCopyOption.REPLACE_EXISTING);
    open("", "/stores");
    await("3 endpoints", d -> d.findElements(By.cssSelector("tr[data-endpoint]")).size() == 3);
    Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), out.resolve("query-stores.png"),
        StandardCopyOption.REPLACE_EXISTING);
    for (String png : List.of("query-graph.png", "query-stores.png")) {
      assertTrue(Files.size(out.resolve(png)) > 10_000, png + " is a picture of the page");
    }
  }
}
