package dev.strata.examples.cli.bucket;

import static dev.strata.examples.server.StaticFiles.CSS;
import static dev.strata.examples.server.StaticFiles.HTML;
import static dev.strata.examples.server.StaticFiles.JS;
import static dev.strata.examples.server.StaticFiles.REVALIDATE;
import static dev.strata.examples.server.StaticFiles.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.examples.server.HttpServer;
import dev.strata.promql.api.ApiResponse;
import dev.strata.tier.block.MetaSync;
import dev.strata.tier.block.SyncedBlock;
import dev.strata.tier.objstore.Bucket;
import dev.strata.tsdb.block.BlockMeta;
import dev.strata.tsdb.block.BlockMetaFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bucket web page, as Thanos's compactor, store gateway and {@code tools bucket web} serve
 * it: {@code /} redirects to {@code /blocks}, a timeline of the bucket's blocks, and {@code GET
 * /api/v1/blocks} answers the blocks in Thanos's shape ({@code label}, {@code blocks} (each its
 * meta.json), {@code refreshedAt}, {@code err}), from a listing of the bucket refreshed every
 * interval. Strata adds {@code details}: each block's size and marks, by ULID, which meta.json
 * does not hold.
 *
 * <p>A failed refresh keeps the last listing and reports the error in {@code err}, as Thanos does.
 */
public final class BucketWeb implements AutoCloseable {
  private static final String OWN = "/dev/strata/examples/cli/bucket/web/";
  private static final ObjectMapper JSON = new ObjectMapper();
  // Go's zero time, which Thanos answers before its first refresh.
  private static final String NEVER = "0001-01-01T00:00:00Z";

  private final Logger log = LoggerFactory.getLogger(BucketWeb.class);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "strata-bucket-web");
    t.setDaemon(true);
    return t;
  });
  /** One refresh's answer, replaced whole so that a request never sees half of two. */
  private record View(ArrayNode blocks, ObjectNode details, String refreshedAt, String err) {}

  private volatile View view =
      new View(JSON.createArrayNode(), JSON.createObjectNode(), NEVER, null);

  /** Adds the page's and the API's routes to {@code http}. */
  public void register(HttpServer.Builder http) {
    http.redirect("/", "/blocks");
    serve(http, "/blocks", OWN + "blocks.html", HTML, REVALIDATE);
    serve(http, "/static/blocks.js", OWN + "blocks.js", JS, REVALIDATE);
    serve(http, "/static/blocks.css", OWN + "blocks.css", CSS, REVALIDATE);
    http.get("/api/v1/blocks", r -> answer());
  }

  /** Whether the bucket has been listed yet (successfully or not). */
  public boolean refreshed() {
    return !view.refreshedAt().equals(NEVER);
  }

  /** Lists {@code bucket} now, then every {@code interval}, until closed. */
  public BucketWeb refreshEvery(Bucket bucket, Duration interval) {
    MetaSync sync = MetaSync.builder(bucket).build();
    timer.scheduleWithFixedDelay(() -> refresh(bucket, sync), 0, interval.toMillis(),
        TimeUnit.MILLISECONDS);
    return this;
  }

  private void refresh(Bucket bucket, MetaSync sync) {
    try {
      MetaSync.Result r = sync.sync();
      ArrayNode metas = JSON.createArrayNode();
      ObjectNode more = JSON.createObjectNode();
      for (BlockMeta m : r.metasByTime()) {
        metas.add(JSON.readTree(BlockMetaFile.encode(m)));
        SyncedBlock b = r.blocks().get(m.ulid());
        ObjectNode d = more.putObject(m.ulid().toString());
        d.put("sizeBytes", b.sizeBytes());
        if (b.deletionMark().isPresent()) {
          d.put("deletionTime", b.deletionMark().get().deletionTime());
        } else {
          d.putNull("deletionTime");
        }
        d.put("noCompact", b.noCompact());
      }
      view = new View(metas, more, Instant.now().toString(), null);
    } catch (IOException | RuntimeException e) {
      log.warn("listing the blocks of {} failed, showing the last listing: {}", bucket.name(),
          e.getMessage());
      View last = view;
      view = new View(last.blocks(), last.details(), Instant.now().toString(),
          String.valueOf(e.getMessage()));
    }
  }

  private ApiResponse answer() {
    View v = view;
    ObjectNode body = JSON.createObjectNode();
    body.put("status", "success");
    ObjectNode data = body.putObject("data");
    data.put("label", "");
    data.set("blocks", v.blocks());
    data.put("refreshedAt", v.refreshedAt());
    if (v.err() == null) {
      data.putNull("err");
    } else {
      data.put("err", v.err());
    }
    data.set("details", v.details());
    return new ApiResponse(200, "application/json",
        body.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() throws InterruptedException {
    timer.shutdownNow();
    timer.awaitTermination(10, TimeUnit.SECONDS);
  }
}
