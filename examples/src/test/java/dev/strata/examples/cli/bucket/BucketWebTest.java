package dev.strata.examples.cli.bucket;

import static dev.strata.tier.testing.SidecarBlocks.HOUR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.examples.cli.StrataCli;
import dev.strata.examples.cli.StrataCommand;
import dev.strata.examples.server.ServerProcess;
import dev.strata.examples.testing.Browser;
import dev.strata.examples.testing.HeadlessChromium;
import dev.strata.tier.block.BucketBlocks;
import dev.strata.tier.block.MetaSync;
import dev.strata.tier.block.SyncedBlock;
import dev.strata.tier.objstore.FilesystemBucket;
import dev.strata.tier.testing.SidecarBlocks;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockMetaFile;
import dev.strata.tsdb.block.Ulid;
import dev.strata.tsdb.block.UlidGenerator;
import dev.strata.tsdb.testing.ChildJvm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code strata bucket web} under a route prefix, over a filesystem bucket of two streams: six 2h
 * blocks of A, which a compactor pass turns into an 8h level-2 block (its four sources marked
 * for deletion) and two left for later, and two blocks of B, one marked by hand and one marked
 * no-compact. The page is read in a real headless Chromium and compared with the bucket.
 */
@Browser
class BucketWebTest {
  private static final Map<String, String> A = Map.of("cluster", "a", "replica", "0");
  private static final Map<String, String> B = Map.of("cluster", "b", "replica", "0");
  private static final long T0 = 100 * 24 * HOUR;
  private static final String PREFIX = "/bucket";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  private static ServerProcess web;
  private static URI base;
  private static ChromeDriver browser;
  /** Every block in the bucket, as MetaSync sees it. */
  private static Map<Ulid, SyncedBlock> blocks;

  @BeforeAll
  static void start() throws Exception {
    Path dir = tmp.resolve("bucket");
    Ulid markedByHand;
    try (FilesystemBucket bucket = FilesystemBucket.open(dir)) {
      SidecarBlocks sidecar = new SidecarBlocks(bucket, tmp.resolve("fixture"),
          UlidGenerator.system());
      for (int i = 0; i < 6; i++) {
        sidecar.upload(A, T0 + i * 2 * HOUR, T0 + (i + 1) * 2 * HOUR, 2);
      }
      markedByHand = sidecar.upload(B, T0, T0 + 2 * HOUR, 2).ulid();
      Ulid kept = sidecar.upload(B, T0 + 2 * HOUR, T0 + 4 * HOUR, 2).ulid();
      new BucketBlocks(bucket).markForDeletion(markedByHand, "by hand");
      new BucketBlocks(bucket).markNoCompact(kept, "manual", "kept as it is");
    }
    Path config = tmp.resolve("bucket.yml");
    Files.writeString(config, "type: FILESYSTEM\nconfig:\n  directory: " + dir + "\n");
    StrataCli.Result compact = StrataCli.run("compact", "--objstore.config-file=" + config,
        "--data-dir=" + tmp.resolve("compact-data"), "--http-address=127.0.0.1:0",
        "--consistency-delay=0s", "--downsampling.disable");
    assertEquals(0, compact.exitCode(), compact.stdout() + compact.stderr());
    try (FilesystemBucket bucket = FilesystemBucket.open(dir)) {
      blocks = MetaSync.builder(bucket).build().sync().blocks();
    }
    assertEquals(9, blocks.size(), blocks.keySet().toString());
    assertTrue(blocks.get(markedByHand).deletionMark().isPresent());

    web = ServerProcess.start("strata bucket web", ChildJvm.command(tmp.resolve("child-tmp"),
        StrataCommand.class, "bucket", "web", "--objstore.config-file=" + config,
        "--http-address=127.0.0.1:0", "--web.route-prefix=" + PREFIX, "--refresh=1m"),
        tmp.resolve("web.log"));
    URI root = URI.create("http://127.0.0.1:" + web.awaitPort("strata bucket web: "));
    base = root.resolve(PREFIX + "/");
    // Ready (below the route prefix, as every route) once the bucket has been listed.
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (get("-/ready").statusCode() != 200) {
      assertTrue(System.nanoTime() < deadline, web.log());
      Thread.sleep(100);
    }
    browser = HeadlessChromium.start(tmp.resolve("chromium-profile"), 1280, 800);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (web != null) {
      web.close();
    }
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theApiListsEveryBlockWithItsMetaInThanossShape() throws Exception {
    HttpResponse<String> r = get("api/v1/blocks");
    assertEquals(200, r.statusCode());
    JsonNode body = JSON.readTree(r.body());
    assertEquals("success", body.path("status").asText());
    JsonNode data = body.path("data");
    assertEquals("", data.path("label").asText());
    assertTrue(data.path("err").isNull(), r.body());
    assertTrue(data.path("refreshedAt").asText().endsWith("Z"), r.body());
    Map<String, JsonNode> served = new TreeMap<>();
    data.path("blocks").forEach(b -> served.put(b.path("ulid").asText(), b));
    assertEquals(blocks.size(), served.size());
    for (SyncedBlock b : blocks.values()) {
      BlockMeta m = b.meta();
      assertEquals(JSON.readTree(BlockMetaFile.encode(m)), served.get(m.ulid().toString()));
      JsonNode d = data.path("details").path(m.ulid().toString());
      assertEquals(b.sizeBytes(), d.path("sizeBytes").asLong());
      assertEquals(b.deletionMark().isPresent(), !d.path("deletionTime").isNull());
      assertEquals(b.noCompact(), d.path("noCompact").asBoolean());
    }
    assertEquals(404, get("/api/v1/blocks").statusCode(), "only under the route prefix");
    assertEquals(200, get("metrics").statusCode());
  }

  @Test
  void thePageDrawsARowPerStreamAndABarPerBlockAndShowsTheClickedOne() throws Exception {
    browser.get(base.toString()); // redirected to blocks
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d ->
        "true".equals(d.findElement(By.tagName("body")).getAttribute("data-loaded")));
    assertTrue(browser.getCurrentUrl().endsWith(PREFIX + "/blocks"), browser.getCurrentUrl());
    assertEquals(2, browser.findElements(By.cssSelector("g.row")).size());
    var bars = browser.findElements(By.cssSelector("rect.block"));
    assertEquals(blocks.size(), bars.size());
    Map<String, WebElement> byUlid = new HashMap<>();
    bars.forEach(b -> byUlid.put(b.getAttribute("data-ulid"), b));
    for (SyncedBlock b : blocks.values()) {
      WebElement bar = byUlid.get(b.meta().ulid().toString());
      String cls = bar.getAttribute("class");
      assertEquals(b.deletionMark().isPresent(), cls.contains("marked"), cls);
      assertEquals(b.noCompact(), cls.contains("no-compact"), cls);
    }
    BlockMeta level2 = blocks.values().stream().map(SyncedBlock::meta)
        .filter(m -> m.compaction().level() == 2).findFirst().orElseThrow();
    byUlid.get(level2.ulid().toString()).click();
    WebElement details = browser.findElement(By.id("details"));
    assertTrue(details.isDisplayed());
    assertEquals(level2.ulid().toString(),
        details.findElement(By.cssSelector("td[data-field='ULID']")).getText());
    assertEquals("2", details.findElement(By.cssSelector("td[data-field='Level']")).getText());
    assertEquals("4", details.findElement(By.cssSelector("td[data-field='Sources']")).getText());
    String legend = browser.findElement(By.id("legend")).getText();
    assertTrue(legend.contains("level 1") && legend.contains("level 2")
        && legend.contains("marked for deletion"), legend);
    assertTrue(browser.findElement(By.id("refreshed")).getText().contains("UTC"));
    // With -Dstrata.screenshots=DIR, a picture of the page for the README.
    String dir = System.getProperty("strata.screenshots");
    if (dir != null && !dir.isBlank()) {
      Files.createDirectories(Path.of(dir));
      Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(),
          Path.of(dir, "bucket-web.png"), StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
